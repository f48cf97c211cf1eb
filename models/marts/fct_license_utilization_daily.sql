{{ account_days_config('date_day') }}
{%- set plan = account_days_plan() %}
{{ carry_plan('account_days', plan) }}

with

seats_daily as (

    select * from {{ ref('int_account_seats_daily') }}
    where {{ account_days_since(plan, 'date_day') }}

),

users_daily as (

    select * from {{ ref('int_account_users_daily') }}
    where {{ account_days_since(plan, 'date_day') }}

),

joined as (

    select
        seats_daily.account_id,
        seats_daily.date_day,
        seats_daily.licensed_seats,
        coalesce(users_daily.assigned_users, 0) as assigned_seats,
        coalesce(users_daily.active_users, 0) as active_users
    from seats_daily
    left join users_daily
        on seats_daily.account_id = users_daily.account_id
            and seats_daily.date_day = users_daily.date_day

),

formula as (

    select
        account_id,
        date_day,
        licensed_seats,
        assigned_seats,
        active_users,
        case when active_users < licensed_seats then active_users else licensed_seats end as utilized_seats,
        case when active_users > licensed_seats then active_users - licensed_seats else 0 end as overage_users
    from joined

),

final as (

    select
        account_id,
        date_day,
        {{ month_start('date_day') }} as month_start,
        cast(licensed_seats as bigint) as licensed_seats,
        cast(assigned_seats as bigint) as assigned_seats,
        cast(active_users as bigint) as active_users,
        cast(utilized_seats as bigint) as utilized_seats,
        {{ pct('utilized_seats', 'licensed_seats') }} as utilization_pct,
        cast(overage_users as bigint) as overage_users,
        {{ health_band(pct('utilized_seats', 'licensed_seats')) }} as health_band
    from formula

)

select * from final
