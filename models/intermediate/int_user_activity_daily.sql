{#
    Product activity per user and day, by event category under the
    configured rule (login, feature_use, core_workflow): the one
    aggregation of the events that the "active" rule is evaluated from.
    Events of users that are not kept were quarantined in staging.
    Grain: user_id x activity_date.

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
-- depends_on: {{ ref('base_license__events_exceptions') }}
{%- set rule = active_rule() %}
{%- set signature = event_categories_signature(rule) %}
{%- set plan = activity_recount_plan(this, signature) %}

with

events as (

    select * from {{ ref('stg_license__events') }}

),

counted as (

    {{ user_activity_daily_sql(rule, 'events', plan) }}

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
