{#
    A 64-bit hash of every raw event's cleaned event_id, with the event's
    day: the index that tells an incremental run of
    base_license__events_exceptions on which days the other copies of a
    batch's ids lie, so it reads those days of the raw input instead of
    every event id.

    Written after the exceptions (depends_on below), for the next run: it
    is not on the path to the marts. The exceptions read it by name when
    they compile, and treat the days it has not seen since their count
    changed (at least this run's changed days) as days that may hold
    copies.

    One row per raw row with an event_id (a row without one is never a
    copy); no dedupe: a repeated id has one row per copy. Where an engine
    has no fast hash (key_hash), the cleaned id itself.

    Incremental (strategy replace_stale): a run after the first replaces
    the rows of the days whose raw row count changed since its latest
    write (base_license__event_days), read from those days of the raw
    input only.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='replace_stale',
    stale_rows_macro='event_id_days_stale_rows',
    on_schema_change='fail',
) }}
{%- set plan = event_id_days_plan(this, ref('base_license__event_days')) %}
{{ carry_plan('event_id_days', plan) }}
-- depends_on: {{ ref('base_license__events_exceptions') }}

with

event_rows as (

    select * from {{ ref('base_license__event_rows') }}

),

final as (

    select
        {{ key_hash('event_id') }} as key_hash,
        event_date,
        {{ run_started_timestamp() }} as indexed_at
    from event_rows
    where
        event_id is not null
        and {{ '1 = 1' if plan is none else event_days_condition(plan, 'event_ts') }}

)

select * from final
