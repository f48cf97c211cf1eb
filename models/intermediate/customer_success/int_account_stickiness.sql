{#
    Feature stickiness per account over the last `stickiness_window_days`
    days up to as_of_date, from the users' product events:
      stickiness_ratio = DAU / MAU = (average daily users with an event)
                         / (distinct users with an event in the window);
      feature_breadth  = average number of distinct features used per user
                         with an event in the window.
    Only licensed users count, on the days they are eligible (CONTRACT
    section 3: not before provisioning, not from deactivation on). The
    user, day and feature triples with a kept event come from
    int_user_feature_days, which keeps the window up to date day by day.
#}
with

feature_days as (

    select * from {{ ref('int_user_feature_days') }}

),

eligibility as (

    select * from {{ ref('int_user_eligibility') }}

),

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

window_events as (

    {#- on the days each user is eligible, within the window up to as_of_date #}
    select
        eligibility.account_id,
        feature_days.user_id,
        feature_days.activity_date,
        feature_days.feature_name
    from feature_days
    inner join eligibility
        on feature_days.user_id = eligibility.user_id
            and feature_days.activity_date >= eligibility.eligible_from
            and (eligibility.eligible_to is null or feature_days.activity_date <= eligibility.eligible_to)
    cross join reporting_period
    where feature_days.activity_date <= reporting_period.as_of_date
        and feature_days.activity_date
        > {{ add_days('reporting_period.as_of_date', -var('stickiness_window_days', 30)) }}

),

user_summary as (

    select
        account_id,
        user_id,
        count(distinct activity_date) as active_days,
        count(distinct feature_name) as distinct_features
    from window_events
    group by account_id, user_id

),

final as (

    select
        account_id,
        cast(count(*) as bigint) as monthly_active_users,
        cast(sum(active_days) as {{ type_double() }}) / {{ var('stickiness_window_days', 30) }}
            as avg_daily_active_users,
        cast(sum(active_days) as {{ type_double() }})
        / ({{ var('stickiness_window_days', 30) }} * count(*)) as stickiness_ratio,
        cast(avg(distinct_features) as {{ type_double() }}) as feature_breadth
    from user_summary
    group by account_id

)

select * from final
