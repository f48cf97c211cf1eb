{#
    Feature stickiness per account over the last `stickiness_window_days`
    days up to as_of_date, from the users' product events:
      stickiness_ratio = DAU / MAU = (average daily users with an event)
                         / (distinct users with an event in the window);
      feature_breadth  = average number of distinct features used per user
                         with an event in the window.
    Only licensed users count, on the days they are eligible (CONTRACT
    section 3: not before provisioning, not from deactivation on). A
    user, day and feature has a kept event when its raw rows outnumber its
    rows that are not kept (base_license__events_exceptions holds every
    one), as int_user_activity_daily counts: no raw row is matched against
    the exceptions one by one, and event_id is not even read.
#}
{%- set as_of = known_as_of_date() %}
{%- set first_day = none if as_of is none
    else as_of - modules.datetime.timedelta(days=(var('stickiness_window_days', 30) | int) - 1) %}

with

event_rows as (

    select * from {{ ref('base_license__event_rows') }}

),

exceptions as (

    select * from {{ ref('base_license__events_exceptions') }}

),

eligibility as (

    select * from {{ ref('int_user_eligibility') }}

),

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

window_rows as (

    {#- every raw row of the window, per user, day and feature (only the
        window's rows are read: the literal bounds let the scan skip the
        raw files' older row groups) #}
    select
        user_id,
        cast(event_ts as date) as activity_date,
        feature_name,
        count(*) as raw_rows
    from event_rows
    where {{ timestamp_between_days('event_ts', first_day, as_of) }}
    group by user_id, cast(event_ts as date), feature_name

),

window_dropped_rows as (

    {#- the rows among them that are not kept (rule breaks, merged and
        conflicting copies, unknown users: every one is an exception) #}
    select
        user_id,
        cast(event_ts as date) as activity_date,
        feature_name,
        count(*) as dropped_rows
    from exceptions
    where outcome <> 'kept'
        and {{ timestamp_between_days('event_ts', first_day, as_of) }}
    group by user_id, cast(event_ts as date), feature_name

),

kept_feature_days as (

    {#- the user, day and feature triples with a kept event: the raw rows
        less the rows not kept, so no raw row is matched one by one (a
        blank feature is null in both; '' is never a cleaned name) #}
    select
        window_rows.user_id,
        window_rows.activity_date,
        window_rows.feature_name
    from window_rows
    left join window_dropped_rows
        on window_rows.user_id = window_dropped_rows.user_id
            and window_rows.activity_date = window_dropped_rows.activity_date
            and coalesce(window_rows.feature_name, '') = coalesce(window_dropped_rows.feature_name, '')
    where window_rows.raw_rows > coalesce(window_dropped_rows.dropped_rows, 0)

),

window_events as (

    {#- on the days each user is eligible, within the window up to as_of_date #}
    select
        eligibility.account_id,
        kept_feature_days.user_id,
        kept_feature_days.activity_date,
        kept_feature_days.feature_name
    from kept_feature_days
    inner join eligibility
        on kept_feature_days.user_id = eligibility.user_id
            and kept_feature_days.activity_date >= eligibility.eligible_from
            and (eligibility.eligible_to is null or kept_feature_days.activity_date <= eligibility.eligible_to)
    cross join reporting_period
    where kept_feature_days.activity_date <= reporting_period.as_of_date
        and kept_feature_days.activity_date
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
