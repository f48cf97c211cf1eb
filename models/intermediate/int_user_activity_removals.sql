{#
    The user-days that int_user_activity_daily took away: one row per
    user and day whose activity row an incremental recount removed (its
    kept events all gone: a file taken away or corrected, a copy of an
    earlier event, a user no longer known), written by the activity's
    strategy (replace_stale, removed_rows_macro) before it deletes. With
    the activity's counted_at this tells the intervals models every user
    whose activity changed since their last computation: a user who lost
    a day has no activity row left to stamp.

    Rows without a user are markers: when this table was created (its
    first row), and when the activity was built in full (the activity's
    post-hook): removals before a marker are unknown, so the intervals
    models compute every user when a marker is newer than their last
    computation, or when none is older (activity_removals_known_since).

    This model only creates the table with its first marker, and a run
    keeps it as it is (a kept_table, kept_while_columns_match); a
    --full-refresh starts it again.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'kept_table',
) }}
{%- set columns = ['user_id', 'activity_date', 'removed_at'] %}

with

final as (

    select
        cast(null as {{ type_text() }}) as user_id,
        cast(null as date) as activity_date,
        {{ run_started_timestamp() }} as removed_at

)

select * from final
where 1 = 1 {{ kept_while_columns_match(columns) }}
