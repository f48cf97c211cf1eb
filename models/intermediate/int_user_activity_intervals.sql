{#
    The intervals on which each user is active under the configured rule
    (definition_name `default`), before eligibility and as_of_date: what
    int_user_active_intervals clips to the licensed users. The variants of
    var active_definitions are kept alike, apart, in
    int_definition_activity_intervals (the daily fact does not wait for
    them). Grain: definition_name x user_id x active_from.

    Incremental (strategy replace_stale): a run after the first computes
    the intervals only from the first day whose activity may have changed
    (from_day: the earliest day int_user_activity_daily recounted, or
    whose raw events changed, since the latest computation), from the
    activity of from_day-(N-1) on; a stored interval that reaches the day
    before is cut there and joined to a new one that starts on from_day,
    so the intervals are those a full computation gives. Everything is
    computed again when the definitions differ from the stored ones
    (definition_signature).
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='replace_stale',
    stale_rows_macro='activity_intervals_stale_rows',
    interval_definitions='default',
    on_schema_change='fail',
) }}
-- depends_on: {{ ref('base_license__event_days') }}
-- depends_on: {{ ref('base_license__events_exceptions') }}
-- depends_on: {{ ref('int_user_activity_removals') }}
{{ activity_intervals_model(stored_interval_definitions('default')) }}
