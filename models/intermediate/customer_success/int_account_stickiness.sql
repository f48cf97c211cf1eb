{#
    Feature stickiness per account over the last `stickiness_window_days`
    days up to as_of_date, from the users' product events:
      stickiness_ratio = DAU / MAU = (average daily users with an event)
                         / (distinct users with an event in the window);
      feature_breadth  = average number of distinct features used per user
                         with an event in the window.
    Only licensed users count, on the days they are eligible (CONTRACT
    section 3: not before provisioning, not from deactivation on).
#}
{%- set as_of = known_as_of_date() %}
{%- set first_day = none if as_of is none
    else as_of - modules.datetime.timedelta(days=(var('stickiness_window_days', 30) | int) - 1) %}

with

events as (

    select * from {{ ref('stg_license__events') }}

),

eligibility as (

    select * from {{ ref('int_user_eligibility') }}

),

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

window_events as (

    {#- only the window's events are read: cheap however long the history
        (the literal bound lets the scan skip the raw files' older row groups) #}
    select
        eligibility.account_id,
        events.user_id,
        events.event_date as activity_date,
        events.feature_name
    from events
    inner join eligibility
        on events.user_id = eligibility.user_id
            and events.event_date >= eligibility.eligible_from
            and (eligibility.eligible_to is null or events.event_date <= eligibility.eligible_to)
    cross join reporting_period
    where events.event_date <= reporting_period.as_of_date
        and events.event_date
        > {{ add_days('reporting_period.as_of_date', -var('stickiness_window_days', 30)) }}
        and {{ timestamp_between_days('events.event_ts', first_day, as_of) }}

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
