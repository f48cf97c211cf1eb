{#
    The intervals on which each user is active under each named variant of
    var active_definitions with the configured event-name lists, before
    eligibility and as_of_date: what fct_utilization_by_definition clips to
    the licensed users. Kept like int_user_activity_intervals (the
    configured rule), incrementally. Grain: definition_name x user_id x
    active_from.

    Incremental in the same way as int_user_activity_intervals (see its
    header): a run computes only from the first day whose activity may
    have changed, and everything when the variants changed.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='replace_stale',
    stale_rows_macro='activity_intervals_stale_rows',
    interval_definitions='variants',
    on_schema_change='fail',
) }}
-- depends_on: {{ ref('base_license__event_days') }}
-- depends_on: {{ ref('base_license__events_exceptions') }}
-- depends_on: {{ ref('int_user_activity_removals') }}
{{ activity_intervals_model(stored_interval_definitions('variants')) }}
