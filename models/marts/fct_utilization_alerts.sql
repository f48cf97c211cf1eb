{#
    One row per account and alert type that fires as of as_of_date, with a
    severity and a reason a person can act on, carrying the numbers that
    fired it. Alert types:
      renewal_risk              at-risk utilization, renewal within pre_renewal_days
      declining_before_renewal  declining trend, renewal within pre_renewal_days
      onboarding_gap            recent term below at-risk at a reached day_N milestone
      expansion_ready           strong band and sticky use
      overage_true_up           more active users than seats
      sharp_drop                fell by sharp_drop_share of its recent peak
    Severity: high / medium / low, as set per type below.
#}
{%- set pre_renewal_days = var('pre_renewal_days', 90) | int -%}

with

health as (

    select * from {{ ref('dim_account_health') }}

),

described as (

    select
        *,
        {{ dbt.concat([
            "'utilization '", format_number('utilization_pct'), "'% ('",
            format_number('utilized_seats', 0), "' of '", format_number('licensed_seats', 0), "' seats)'"
        ]) }} as utilization_text,
        coalesce(
            {{ dbt.concat([
                "'; most idle: '", 'most_idle_department', "' dept '",
                format_number('most_idle_department_utilization_pct'), "'% of '",
                format_number('most_idle_department_assigned_seats', 0), "' seats'"
            ]) }},
            ''
        ) as department_text,
        coalesce(
            {{ dbt.concat([
                "'; trend '", format_number('utilization_trend_pts_per_week'), "' pts/week over '",
                format_number('trend_weeks_observed', 0), "' weeks'"
            ]) }},
            ''
        ) as trend_text
    from health

),

alerts as (

    select
        account_id,
        'renewal_risk' as alert_type,
        'high' as severity,
        {{ dbt.concat([
            'utilization_text', "' < '", "'" ~ var('at_risk_utilization_pct', 60) ~ "%'",
            "' with renewal in '", format_number('days_to_renewal', 0), "' days ('",
            'cast(renewal_date as ' ~ type_text() ~ ')', "')'", 'trend_text', 'department_text'
        ]) }} as reason,
        as_of_date
    from described
    where is_renewal_risk

    union all

    select
        account_id,
        'declining_before_renewal' as alert_type,
        case when health_band = 'at_risk' then 'high' else 'medium' end as severity,
        {{ dbt.concat([
            "'down '", format_number('-utilization_trend_pts_per_week'), "' pts/week over '",
            format_number('trend_weeks_observed', 0), "' weeks; '", 'utilization_text',
            "' with renewal in '", format_number('days_to_renewal', 0), "' days'", 'department_text'
        ]) }} as reason,
        as_of_date
    from described
    where is_declining
        and days_to_renewal >= 0
        and days_to_renewal <= {{ pre_renewal_days }}

    union all

    select
        account_id,
        'onboarding_gap' as alert_type,
        'medium' as severity,
        {{ dbt.concat([
            "'term '", 'onboarding_gap_subscription_id', "' at '", 'onboarding_gap_milestone', "': '",
            format_number('onboarding_gap_utilization_pct'), "'% (< '",
            "'" ~ var('at_risk_utilization_pct', 60) ~ "%)'", "'; now '", 'utilization_text', 'department_text'
        ]) }} as reason,
        as_of_date
    from described
    where is_onboarding_gap

    union all

    select
        account_id,
        'expansion_ready' as alert_type,
        'low' as severity,
        {{ dbt.concat([
            'utilization_text', "' >= '", "'" ~ var('strong_utilization_pct', 80) ~ "%'",
            "'; stickiness (DAU/MAU) '", format_number('stickiness_ratio', 2),
            "' >= '", "'" ~ var('expansion_min_stickiness', 0.25) ~ "'",
            "'; '", format_number('feature_breadth'), "' features per user'"
        ]) }} as reason,
        as_of_date
    from described
    where is_expansion_ready

    union all

    select
        account_id,
        'overage_true_up' as alert_type,
        case when overage_users * 10 >= licensed_seats then 'medium' else 'low' end as severity,
        {{ dbt.concat([
            format_number('active_users', 0), "' active users on '", format_number('licensed_seats', 0),
            "' seats: '", format_number('overage_users', 0), "' over'"
        ]) }} as reason,
        as_of_date
    from described
    where has_overage

    union all

    select
        account_id,
        'sharp_drop' as alert_type,
        case when health_band = 'at_risk' then 'high' else 'medium' end as severity,
        {{ dbt.concat([
            "'utilization fell from '", format_number('peak_utilization_pct'), "'% to '",
            format_number('utilization_pct'), "'% within '", "'" ~ var('sharp_drop_window_days', 30) ~ "'",
            "' days ('", format_number('100 * (peak_utilization_pct - utilization_pct) / peak_utilization_pct', 0),
            "'% of the peak; threshold '", "'" ~ ((var('sharp_drop_share', 0.25) * 100) | round | int) ~ "%)'",
            'department_text'
        ]) }} as reason,
        as_of_date
    from described
    where is_sharp_drop

),

final as (

    select
        account_id,
        alert_type,
        severity,
        reason,
        as_of_date,
        case severity when 'high' then 1 when 'medium' then 2 else 3 end as severity_rank
    from alerts

)

select * from final
