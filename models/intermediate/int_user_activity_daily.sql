{#
    Product activity per user and day, by event category under the
    configured rule (login, feature_use, core_workflow): the one
    aggregation of the events that the "active" rule is evaluated from.
    Grain: user_id x activity_date.

    The kept events of a user-day are counted as every raw row of it
    (base_license__event_rows) less its rows that are not kept (rule
    breaks, merged or conflicting copies, unknown users: the few rows of
    base_license__events_exceptions whose outcome is not kept). The same
    figures as counting stg_license__events, without matching each raw
    row against the exceptions or reading its event_id.

    Incremental (strategy replace_stale): a run after the first recounts
    only the days whose kept events may have changed since its latest
    count (counted_at): days whose raw row count changed
    (base_license__event_days: new days, late or replayed rows), days of
    event rows decided again (base_license__events_exceptions), and the
    last var event_lookback_days days. The days are looked up when the
    model compiles and written into the query as date ranges, so the
    filter on event_ts reaches the raw files' row-group statistics and
    other days' events are not even read. When the event-name vars
    changed since the table was counted (category_signature), every day
    is recounted.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='replace_stale',
    stale_rows_macro='user_activity_stale_rows',
    on_schema_change='fail',
) }}
-- depends_on: {{ ref('base_license__event_days') }}
{%- set rule = active_rule() %}
{%- set signature = event_categories_signature(rule) %}
{%- set plan = activity_recount_plan(this, signature) %}

with

event_rows as (

    select * from {{ ref('base_license__event_rows') }}

),

exceptions as (

    select * from {{ ref('base_license__events_exceptions') }}

),

dropped_rows as (

    select
        user_id,
        cast(event_ts as date) as event_date,
        event_ts,
        event_name
    from exceptions
    where outcome <> 'kept'

),

row_counts as (

    {{ user_activity_daily_sql(rule, 'event_rows', plan) | indent(4) }}

),

dropped_counts as (

    {{ user_activity_daily_sql(rule, 'dropped_rows', plan) | indent(4) }}

),

counted as (

    {#- every raw row, less the rows not kept: the kept events. A row
        without a user or a readable day is never kept. #}
    {{ kept_event_counts(
        'row_counts',
        'dropped_counts',
        keys=['user_id', 'activity_date'],
        measures=['login_events', 'feature_events', 'core_workflow_events', 'event_count'],
    ) | indent(4) }}

),

final as (

    select
        user_id,
        activity_date,
        cast(login_events as bigint) as login_events,
        cast(feature_events as bigint) as feature_events,
        cast(core_workflow_events as bigint) as core_workflow_events,
        cast(event_count as bigint) as event_count,
        cast('{{ signature | replace("'", "''") }}' as {{ type_text() }}) as category_signature,
        {{ run_started_timestamp() }} as counted_at
    from counted

)

select * from final
