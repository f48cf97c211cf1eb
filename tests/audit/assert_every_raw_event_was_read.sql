{{ config(severity='warn') }}
{#
    Incremental runs re-read only the last event_lookback_days days of raw
    events. Raw event rows that landed later with an older timestamp (late
    beyond the look-back, or a replayed old file) are then not read at all.
    This test warns with their number instead of letting them pass unseen:
    run `dbt build --full-refresh` to read (and merge or keep) them.
#}
with

raw_rows as (

    select count(*) as row_count from {{ raw_table('events') }}

),

read_rows as (

    select count(*) as row_count from {{ ref('base_license__events') }}

),

final as (

    select
        raw_rows.row_count as raw_event_rows,
        read_rows.row_count as read_event_rows,
        raw_rows.row_count - read_rows.row_count as rows_not_read
    from raw_rows
    cross join read_rows
    where raw_rows.row_count > read_rows.row_count

)

select * from final
