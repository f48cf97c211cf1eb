{#
    Monthly figures are the daily figures of the month snapshot (the
    account's last day with seats in the month), and the month's day count
    and avg/min/max agree with the daily rows. Returns mismatching months.
#}
with

daily as (

    select * from {{ ref('fct_license_utilization_daily') }}

),

monthly as (

    select * from {{ ref('fct_license_utilization_monthly') }}

),

daily_by_month as (

    select
        account_id,
        month_start,
        max(date_day) as last_day_with_seats,
        count(*) as days_with_seats,
        avg(utilization_pct) as avg_utilization_pct,
        min(utilization_pct) as min_utilization_pct,
        max(utilization_pct) as max_utilization_pct
    from daily
    group by account_id, month_start

),

compared as (

    select
        coalesce(monthly.account_id, daily_by_month.account_id) as account_id,
        coalesce(monthly.month_start, daily_by_month.month_start) as month_start,
        case
            when monthly.account_id is null then 'month missing from monthly'
            when daily_by_month.account_id is null then 'month without daily rows'
            when
                monthly.snapshot_date <> daily_by_month.last_day_with_seats
                then 'snapshot is not the last day with seats'
            when monthly.days_with_seats <> daily_by_month.days_with_seats then 'days_with_seats differs'
            when abs(monthly.avg_utilization_pct - daily_by_month.avg_utilization_pct) > 0.01 then 'avg differs'
            when abs(monthly.min_utilization_pct - daily_by_month.min_utilization_pct) > 0.01 then 'min differs'
            when abs(monthly.max_utilization_pct - daily_by_month.max_utilization_pct) > 0.01 then 'max differs'
        end as mismatch
    from monthly
    full outer join daily_by_month
        on monthly.account_id = daily_by_month.account_id
            and monthly.month_start = daily_by_month.month_start

),

snapshot_mismatch as (

    select
        monthly.account_id,
        monthly.month_start,
        'snapshot figures differ from the daily row' as mismatch
    from monthly
    inner join daily
        on monthly.account_id = daily.account_id
            and monthly.snapshot_date = daily.date_day
    where monthly.licensed_seats <> daily.licensed_seats
        or monthly.active_users <> daily.active_users
        or monthly.assigned_seats <> daily.assigned_seats
        or abs(monthly.utilization_pct - daily.utilization_pct) > 0.01
        or monthly.health_band <> daily.health_band

),

final as (

    select
        account_id,
        month_start,
        mismatch
    from compared
    where mismatch is not null
    union all
    select
        account_id,
        month_start,
        mismatch
    from snapshot_mismatch

)

select * from final
