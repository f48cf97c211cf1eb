{{ account_days_config('month_start', grain='month') }}
{%- set plan = account_days_plan() %}
{{ carry_plan('account_days', plan) }}

with

daily as (

    select * from {{ ref('fct_license_utilization_daily') }}
    where {{ account_days_since(plan, 'month_start', grain='month') }}

),

month_summary as (

    select
        account_id,
        month_start,
        max(date_day) as snapshot_date,
        count(*) as days_with_seats,
        avg(utilization_pct) as avg_utilization_pct,
        min(utilization_pct) as min_utilization_pct,
        max(utilization_pct) as max_utilization_pct
    from daily
    group by account_id, month_start

),

final as (

    select
        month_summary.account_id,
        month_summary.month_start,
        month_summary.snapshot_date,
        cast(month_summary.days_with_seats as bigint) as days_with_seats,
        daily.licensed_seats,
        daily.assigned_seats,
        daily.active_users,
        daily.utilized_seats,
        daily.overage_users,
        daily.utilization_pct,
        cast(month_summary.avg_utilization_pct as {{ type_double() }}) as avg_utilization_pct,
        cast(month_summary.min_utilization_pct as {{ type_double() }}) as min_utilization_pct,
        cast(month_summary.max_utilization_pct as {{ type_double() }}) as max_utilization_pct,
        daily.health_band
    from month_summary
    inner join daily
        on month_summary.account_id = daily.account_id
            and month_summary.snapshot_date = daily.date_day

)

select * from final
