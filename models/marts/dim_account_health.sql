{#
    One row per account, as of as_of_date: its utilization and band, the
    renewal ahead, trend and stickiness, the flags a CS team acts on, the
    play recommended by the rule table (seed playbook_rules), and a
    priority order for outreach.

    priority_rank: accounts are ordered by the priority of their play (risk
    first: renewal save, onboarding, decline, at-risk, true-up, expansion,
    champion, monitor, none), then by seats at stake, largest first: idle
    seats (licensed - utilized) for the risk plays, overage users for a
    true-up, licensed seats otherwise; then by account_id.
#}
{%- set pre_renewal_days = var('pre_renewal_days', 90) | int -%}
{%- set onboarding_lookback_days = var('onboarding_lookback_days', none) -%}
{%- if onboarding_lookback_days is none -%}
    {%- set onboarding_lookback_days = pre_renewal_days + 90 -%}
{%- endif %}

with

profiles as (

    select * from {{ ref('int_account_profile') }}

),

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

daily as (

    {#- only the days read below (as_of_date and the sharp-drop window up
        to it): not the whole history of every account #}
    select fct.* from {{ ref('fct_license_utilization_daily') }} as fct
    where fct.date_day <= (select period.as_of_date from reporting_period as period)
        and fct.date_day > (
            select {{ add_days('period.as_of_date', -([var('sharp_drop_window_days', 30) | int, 1] | max)) }}
            from reporting_period as period
        )

),

plan_tiers as (

    select * from {{ ref('int_account_plan_tier_monthly') }}

),

subscriptions as (

    select * from {{ ref('stg_license__subscriptions') }}

),

trends as (

    select * from {{ ref('int_account_utilization_trend') }}

),

stickiness as (

    select * from {{ ref('int_account_stickiness') }}

),

milestones as (

    select * from {{ ref('fct_utilization_milestones') }}

),

by_department as (

    select * from {{ ref('fct_utilization_by_department') }}

),

playbook_rules as (

    select * from {{ ref('playbook_rules') }}

),

as_of_figures as (

    select daily.*
    from daily
    inner join reporting_period
        on daily.date_day = reporting_period.as_of_date

),

recent_peaks as (

    select
        daily.account_id,
        max(daily.utilization_pct) as peak_utilization_pct
    from daily
    cross join reporting_period
    where daily.date_day <= reporting_period.as_of_date
        and daily.date_day > {{ add_days('reporting_period.as_of_date', -var('sharp_drop_window_days', 30)) }}
    group by daily.account_id

),

latest_terms as (

    {#- the tier shown for accounts without seats on as_of_date: their latest term's #}
    select
        account_id,
        plan_tier,
        row_number() over (partition by account_id order by start_date desc, subscription_id desc) as term_rank
    from subscriptions

),

renewals as (

    select
        subscriptions.account_id,
        min(subscriptions.end_date) as renewal_date
    from subscriptions
    cross join reporting_period
    where subscriptions.is_seat_based
        and subscriptions.start_date <= reporting_period.as_of_date
        and subscriptions.end_date >= reporting_period.as_of_date
        and (subscriptions.canceled_at is null or subscriptions.canceled_at > reporting_period.as_of_date)
    group by subscriptions.account_id

),

onboarding_gaps as (

    {#- reached day_N milestones below the at-risk threshold, of recent terms #}
    select
        milestones.account_id,
        milestones.subscription_id,
        milestones.milestone,
        milestones.milestone_date,
        milestones.utilization_pct,
        row_number() over (
            partition by milestones.account_id
            order by milestones.milestone_date desc, milestones.subscription_id asc
        ) as gap_rank
    from milestones
    cross join reporting_period
    where milestones.milestone like 'day_%'
        and milestones.is_reached
        and milestones.utilization_pct < {{ var('at_risk_utilization_pct', 60) }}
        and milestones.term_start_date
        > {{ add_days('reporting_period.as_of_date', -(onboarding_lookback_days | int)) }}

),

idle_departments as (

    select
        by_department.account_id,
        by_department.department,
        by_department.assigned_seats,
        by_department.utilization_pct,
        row_number() over (
            partition by by_department.account_id
            order by
                by_department.assigned_seats - by_department.active_users desc,
                by_department.utilization_pct asc,
                by_department.department asc
        ) as idle_rank
    from by_department
    inner join reporting_period
        on by_department.snapshot_date = reporting_period.as_of_date

),

accounts_joined as (

    select
        profiles.account_id,
        profiles.account_name,
        profiles.industry,
        profiles.size_band,
        profiles.region,
        coalesce(plan_tiers.plan_tier, latest_terms.plan_tier, 'unknown') as plan_tier,
        reporting_period.as_of_date,
        coalesce(as_of_figures.licensed_seats, 0) as licensed_seats,
        as_of_figures.assigned_seats,
        as_of_figures.active_users,
        as_of_figures.utilized_seats,
        as_of_figures.overage_users,
        as_of_figures.utilization_pct,
        as_of_figures.health_band,
        renewals.renewal_date,
        {{ days_between('reporting_period.as_of_date', 'renewals.renewal_date') }} as days_to_renewal,
        trends.utilization_trend_pts_per_week,
        trends.weeks_observed as trend_weeks_observed,
        coalesce(trends.is_declining, false) as is_declining,
        trends.projected_strong_date,
        trends.projected_full_date,
        coalesce(stickiness.stickiness_ratio, 0) as stickiness_ratio,
        coalesce(stickiness.feature_breadth, 0) as feature_breadth,
        recent_peaks.peak_utilization_pct,
        onboarding_gaps.subscription_id as onboarding_gap_subscription_id,
        onboarding_gaps.milestone as onboarding_gap_milestone,
        onboarding_gaps.utilization_pct as onboarding_gap_utilization_pct,
        idle_departments.department as most_idle_department,
        idle_departments.assigned_seats as most_idle_department_assigned_seats,
        idle_departments.utilization_pct as most_idle_department_utilization_pct
    from profiles
    cross join reporting_period
    left join as_of_figures
        on profiles.account_id = as_of_figures.account_id
    left join plan_tiers
        on as_of_figures.account_id = plan_tiers.account_id
            and as_of_figures.date_day = plan_tiers.snapshot_date
    left join latest_terms
        on profiles.account_id = latest_terms.account_id
            and latest_terms.term_rank = 1
    left join renewals
        on profiles.account_id = renewals.account_id
    left join trends
        on profiles.account_id = trends.account_id
    left join stickiness
        on profiles.account_id = stickiness.account_id
    left join recent_peaks
        on profiles.account_id = recent_peaks.account_id
    left join onboarding_gaps
        on profiles.account_id = onboarding_gaps.account_id
            and onboarding_gaps.gap_rank = 1
    left join idle_departments
        on profiles.account_id = idle_departments.account_id
            and idle_departments.idle_rank = 1

),

flagged as (

    select
        *,
        coalesce(
            health_band = 'at_risk'
            and days_to_renewal >= 0
            and days_to_renewal <= {{ pre_renewal_days }},
            false
        ) as is_renewal_risk,
        coalesce(
            health_band = 'strong'
            and stickiness_ratio >= {{ var('expansion_min_stickiness', 0.25) }},
            false
        ) as is_expansion_ready,
        coalesce(onboarding_gap_milestone is not null and licensed_seats > 0, false) as is_onboarding_gap,
        coalesce(overage_users > 0, false) as has_overage,
        coalesce(
            peak_utilization_pct > 0
            and peak_utilization_pct - utilization_pct >= {{ var('sharp_drop_min_pts', 10) }}
            and (peak_utilization_pct - utilization_pct) / peak_utilization_pct >= {{ var('sharp_drop_share', 0.25) }},
            false
        ) as is_sharp_drop,
        coalesce(
            utilization_trend_pts_per_week > 0
            and utilization_pct < {{ var('strong_utilization_pct', 80) }}
            and projected_strong_date is not null,
            false
        ) as is_filling_seats
    from accounts_joined

),

situations as (

    select
        account_id,
        'renewal_risk' as situation
    from flagged
    where is_renewal_risk
    union all
    select
        account_id,
        'onboarding_gap' as situation
    from flagged
    where is_onboarding_gap
    union all
    select
        account_id,
        'declining' as situation
    from flagged
    where licensed_seats > 0 and (is_declining or is_sharp_drop)
    union all
    select
        account_id,
        'at_risk' as situation
    from flagged
    where health_band = 'at_risk'
    union all
    select
        account_id,
        'overage' as situation
    from flagged
    where has_overage
    union all
    select
        account_id,
        'expansion_ready' as situation
    from flagged
    where is_expansion_ready
    union all
    select
        account_id,
        'healthy' as situation
    from flagged
    where health_band = 'healthy'
    union all
    select
        account_id,
        'strong' as situation
    from flagged
    where health_band = 'strong'
    union all
    select
        account_id,
        'no_seats' as situation
    from flagged
    where licensed_seats = 0

),

matched_plays as (

    select
        situations.account_id,
        situations.situation,
        playbook_rules.priority
    from situations
    inner join playbook_rules
        on situations.situation = playbook_rules.situation

),

first_priorities as (

    select
        account_id,
        min(priority) as priority
    from matched_plays
    group by account_id

),

play_situations as (

    {#- each account's first matching situation: the lowest priority, then
        the first situation by name. Group-bys, not a row_number() over
        the join: DuckDB sizes a window's partitions by the join's
        estimate (~2M rows for ~8k at M), which cost ~0.15 s a build. #}
    select
        matched_plays.account_id,
        min(matched_plays.situation) as situation
    from matched_plays
    inner join first_priorities
        on matched_plays.account_id = first_priorities.account_id
            and matched_plays.priority = first_priorities.priority
    group by matched_plays.account_id

),

plays as (

    select
        play_situations.account_id,
        play_situations.situation,
        playbook_rules.priority,
        playbook_rules.recommended_play
    from play_situations
    inner join playbook_rules
        on play_situations.situation = playbook_rules.situation

),

with_play as (

    select
        flagged.*,
        plays.situation as play_situation,
        plays.priority as play_priority,
        coalesce(plays.recommended_play, 'none') as recommended_play,
        case
            when plays.situation in ('renewal_risk', 'onboarding_gap', 'declining', 'at_risk')
                then flagged.licensed_seats - coalesce(flagged.utilized_seats, 0)
            when plays.situation = 'overage' then flagged.overage_users
            else flagged.licensed_seats
        end as seats_at_stake
    from flagged
    left join plays
        on flagged.account_id = plays.account_id

),

peer_counts as (

    select
        *,
        count(utilization_pct) over (partition by industry) as industry_peers,
        count(utilization_pct) over (partition by size_band) as size_band_peers
    from with_play

),

final as (

    select
        account_id,
        account_name,
        industry,
        size_band,
        plan_tier,
        region,
        as_of_date,
        cast(licensed_seats as bigint) as licensed_seats,
        cast(assigned_seats as bigint) as assigned_seats,
        cast(active_users as bigint) as active_users,
        cast(utilized_seats as bigint) as utilized_seats,
        cast(overage_users as bigint) as overage_users,
        utilization_pct,
        health_band,
        renewal_date,
        cast(days_to_renewal as integer) as days_to_renewal,
        cast(utilization_trend_pts_per_week as {{ type_double() }}) as utilization_trend_pts_per_week,
        cast(trend_weeks_observed as bigint) as trend_weeks_observed,
        is_declining,
        cast(projected_strong_date as date) as projected_strong_date,
        cast(projected_full_date as date) as projected_full_date,
        is_filling_seats,
        cast(stickiness_ratio as {{ type_double() }}) as stickiness_ratio,
        cast(feature_breadth as {{ type_double() }}) as feature_breadth,
        cast(peak_utilization_pct as {{ type_double() }}) as peak_utilization_pct,
        is_sharp_drop,
        has_overage,
        is_renewal_risk,
        is_expansion_ready,
        is_onboarding_gap,
        onboarding_gap_subscription_id,
        onboarding_gap_milestone,
        cast(onboarding_gap_utilization_pct as {{ type_double() }}) as onboarding_gap_utilization_pct,
        most_idle_department,
        cast(most_idle_department_assigned_seats as bigint) as most_idle_department_assigned_seats,
        cast(most_idle_department_utilization_pct as {{ type_double() }}) as most_idle_department_utilization_pct,
        case
            when utilization_pct is not null and industry_peers >= {{ var('min_cohort_size_for_percentile', 5) }}
                then cast(100 * percent_rank() over (
                        partition by industry, utilization_pct is null order by utilization_pct
                    ) as {{ type_double() }})
        end as industry_percentile,
        case
            when utilization_pct is not null and size_band_peers >= {{ var('min_cohort_size_for_percentile', 5) }}
                then cast(100 * percent_rank() over (
                        partition by size_band, utilization_pct is null order by utilization_pct
                    ) as {{ type_double() }})
        end as size_band_percentile,
        play_situation,
        recommended_play,
        cast(seats_at_stake as bigint) as seats_at_stake,
        cast(row_number() over (
            order by coalesce(play_priority, 99), seats_at_stake desc, account_id asc
        ) as bigint) as priority_rank
    from peer_counts

)

select * from final
