{#
    Product activity per user and day, by event category under the
    configured rule (login, feature_use, core_workflow): the one
    aggregation of the events that the "active" rule is evaluated from.
    Events of users that are not kept were quarantined in staging.
    Grain: user_id x activity_date.

    Incremental: a run after the first recounts only the days from var
    event_lookback_days before its latest day on, replacing them
    (delete+insert on activity_date). The first such day is looked up when
    the model compiles and written into the query as a literal, so the
    filter on event_ts reaches the raw files' row-group statistics and
    older events are not even read. When the event-name vars changed
    since the table was counted (category_signature), every day is
    recounted. Kept events that land later on older days are reported by
    a warn-level test; `dbt build --full-refresh` recounts everything.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='delete+insert',
    unique_key='activity_date',
    on_schema_change='fail',
) }}
{%- set rule = active_rule() %}
{%- set signature = event_categories_signature(rule) %}
{%- set first_day = incremental_first_day(this, signature) if is_incremental() else none %}

with

events as (

    select * from {{ ref('stg_license__events') }}

),

counted as (

    {{ user_activity_daily_sql(rule, 'events', first_day) }}

),

final as (

    select
        user_id,
        activity_date,
        cast(login_events as bigint) as login_events,
        cast(feature_events as bigint) as feature_events,
        cast(core_workflow_events as bigint) as core_workflow_events,
        cast(event_count as bigint) as event_count,
        cast('{{ signature | replace("'", "''") }}' as {{ type_text() }}) as category_signature
    from counted

)

select * from final
