{#
    Portable SQL twin of the Python model int_account_utilization_trend,
    built on engines without dbt Python models (Postgres, Spark). Same
    columns and rules as utilization_analytics.trend: least-squares slope
    (regression_slope) of weekly utilization over the last `trend_weeks` weeks,
    null below `trend_min_weeks` weeks; decline flag; seat-fill forecast.
#}
{{ config(enabled=target.type != 'duckdb') }}

with

weekly as (

    select * from {{ ref('int_account_weekly_utilization') }}

),

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

weekly_in_range as (

    select
        weekly.account_id,
        weekly.week_start,
        weekly.utilization_pct,
        cast({{ days_between('reporting_period.as_of_date', 'weekly.week_start') }} as {{ type_double() }}) / 7.0
            as weeks_from_as_of,
        {{ days_between('weekly.week_start', 'reporting_period.as_of_date') }} < {{ var('trend_weeks', 8) }} * 7
            as is_in_trend_window,
        reporting_period.as_of_date
    from weekly
    cross join reporting_period
    where weekly.week_start <= reporting_period.as_of_date
        and weekly.utilization_pct is not null

),

latest_week as (

    select
        account_id,
        week_start as latest_week_start,
        utilization_pct as latest_weekly_utilization_pct
    from (
        select
            account_id,
            week_start,
            utilization_pct,
            row_number() over (partition by account_id order by week_start desc) as week_rank
        from weekly_in_range
    ) as ranked
    where week_rank = 1

),

fitted as (

    select
        account_id,
        max(as_of_date) as as_of_date,
        sum(case when is_in_trend_window then 1 else 0 end) as weeks_observed,
        {{ regression_slope(
            'case when is_in_trend_window then utilization_pct end',
            'case when is_in_trend_window then weeks_from_as_of end'
        ) }} as raw_slope
    from weekly_in_range
    group by account_id

),

trend as (

    select
        fitted.account_id,
        fitted.as_of_date,
        fitted.weeks_observed,
        latest_week.latest_week_start,
        latest_week.latest_weekly_utilization_pct,
        case
            when fitted.weeks_observed >= {{ var('trend_min_weeks', 3) }}
                then {{ round_double('fitted.raw_slope', 6) }}
        end as utilization_trend_pts_per_week
    from fitted
    inner join latest_week
        on fitted.account_id = latest_week.account_id

),

forecast as (

    select
        *,
        case
            when utilization_trend_pts_per_week > 0
                and latest_weekly_utilization_pct < {{ var('strong_utilization_pct', 80) }}
                then ({{ var('strong_utilization_pct', 80) }} - latest_weekly_utilization_pct)
                / utilization_trend_pts_per_week
        end as weeks_to_strong,
        case
            when utilization_trend_pts_per_week > 0 and latest_weekly_utilization_pct < 100
                then (100 - latest_weekly_utilization_pct) / utilization_trend_pts_per_week
        end as weeks_to_full
    from trend

),

final as (

    select
        account_id,
        cast(weeks_observed as bigint) as weeks_observed,
        latest_week_start,
        latest_weekly_utilization_pct,
        utilization_trend_pts_per_week,
        coalesce(utilization_trend_pts_per_week <= -{{ var('decline_pts_per_week', 1.0) }}, false) as is_declining,
        case
            when weeks_to_strong <= {{ var('forecast_max_weeks', 104) }}
                then {{ add_days('as_of_date', 'ceil(weeks_to_strong * 7)') }}
        end as projected_strong_date,
        case
            when weeks_to_full <= {{ var('forecast_max_weeks', 104) }}
                then {{ add_days('as_of_date', 'ceil(weeks_to_full * 7)') }}
        end as projected_full_date
    from forecast

)

select * from final
