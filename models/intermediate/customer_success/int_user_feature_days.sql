{#
    The user, day and feature triples with a kept event, over the
    stickiness window (the last var stickiness_window_days days up to
    as_of_date): what int_account_stickiness averages. Grain: user_id x
    activity_date x feature_name (null for events without a feature).

    A triple has a kept event when its raw rows outnumber its rows that
    are not kept (base_license__events_exceptions holds every one), as
    int_user_activity_daily counts: no raw row is matched against the
    exceptions one by one, and event_id is not even read. Every user
    counts here; the stickiness keeps the licensed, eligible ones.

    Incremental (strategy replace_stale): the window moves a day with
    each day of events, and a run after the first recounts only the days
    whose kept events may have changed since its latest count (new days,
    late or replayed rows, rows decided again, the look-back;
    feature_days_recount_plan), and drops the days that left the window:
    a daily run reads a day or so of raw events instead of the whole
    window. A window that starts earlier than the stored one is counted
    again in full.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='replace_stale',
    stale_rows_macro='user_feature_days_stale_rows',
    on_schema_change='fail',
) }}
-- depends_on: {{ ref('base_license__event_days') }}
{%- set as_of = known_as_of_date() %}
{%- set first_day = stickiness_first_day(as_of) %}
{%- set plan = feature_days_recount_plan(this, as_of) %}
{{ carry_plan('feature_days', plan) }}

with

event_rows as (

    select * from {{ ref('base_license__event_rows') }}

),

exceptions as (

    select * from {{ ref('base_license__events_exceptions') }}

),

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

counted_rows as (

    {#- every raw row of the days counted, per user, day and feature (the
        literal bounds let the scan skip the raw files' other row groups) #}
    select
        user_id,
        cast(event_ts as date) as activity_date,
        feature_name,
        count(*) as event_count
    from event_rows
    where {{ timestamp_between_days('event_ts', first_day, as_of) }}
        and {{ '1 = 1' if plan is none else event_days_condition(plan, 'event_ts') }}
    group by user_id, cast(event_ts as date), feature_name

),

dropped_rows as (

    {#- the rows among them that are not kept (rule breaks, merged and
        conflicting copies, unknown users: every one is an exception) #}
    select
        user_id,
        cast(event_ts as date) as activity_date,
        feature_name,
        count(*) as event_count
    from exceptions
    where outcome <> 'kept'
        and {{ timestamp_between_days('event_ts', first_day, as_of) }}
        and {{ '1 = 1' if plan is none else event_days_condition(plan, 'event_ts') }}
    group by user_id, cast(event_ts as date), feature_name

),

kept as (

    {#- the triples with a kept event (a blank feature is null in both;
        '' is never a cleaned name) #}
    {{ kept_event_counts(
        'counted_rows',
        'dropped_rows',
        keys=['user_id', 'activity_date', 'feature_name'],
        measures=['event_count'],
        nullable_keys=['feature_name'],
    ) | indent(4) }}

),

final as (

    {#- within the window #}
    select
        kept.user_id,
        kept.activity_date,
        kept.feature_name,
        {{ add_days('reporting_period.as_of_date', 1 - var('stickiness_window_days', 30)) }} as window_start,
        reporting_period.as_of_date as window_end,
        {{ run_started_timestamp() }} as counted_at
    from kept
    cross join reporting_period
    where kept.activity_date <= reporting_period.as_of_date
        and kept.activity_date
        > {{ add_days('reporting_period.as_of_date', -var('stickiness_window_days', 30)) }}

)

select * from final
