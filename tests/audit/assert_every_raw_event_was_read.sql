{#
    Every raw event row is in base_license__events exactly once: the view
    takes the rows of base_license__events_exceptions and the simply kept
    rest of the raw input, and the two parts must never overlap or leave a
    row out. Also ties the per-day raw counts that incremental runs and
    the audit rely on (base_license__event_days) to the raw input. Counts
    the view itself (one pass over the events), the raw input and the
    per-day counts; returns a row when they differ.
#}
with

raw_rows as (

    select count(*) as row_count from {{ raw_table('events') }}

),

read_rows as (

    select count(*) as row_count from {{ ref('base_license__events') }}

),

day_rows as (

    select sum(raw_rows) as row_count from {{ ref('base_license__event_days') }}

),

final as (

    select
        raw_rows.row_count as raw_event_rows,
        read_rows.row_count as read_event_rows,
        day_rows.row_count as day_count_rows
    from raw_rows
    cross join read_rows
    cross join day_rows
    where raw_rows.row_count <> read_rows.row_count
        or raw_rows.row_count <> day_rows.row_count

)

select * from final
