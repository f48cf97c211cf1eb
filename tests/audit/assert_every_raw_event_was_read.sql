{#
    Every raw event row is in base_license__events exactly once: the view
    takes the rows of base_license__events_exceptions and the simply kept
    rest of the raw input, and the two parts must never overlap or leave a
    row out. Compares the raw row count with the view's, as counted per
    day and outcome by audit_event_outcomes_daily. Returns a row when they
    differ.
#}
with

raw_rows as (

    select count(*) as row_count from {{ raw_table('events') }}

),

read_rows as (

    select sum(raw_rows) as row_count from {{ ref('audit_event_outcomes_daily') }}

),

final as (

    select
        raw_rows.row_count as raw_event_rows,
        read_rows.row_count as read_event_rows,
        raw_rows.row_count - read_rows.row_count as rows_missing
    from raw_rows
    cross join read_rows
    where raw_rows.row_count <> read_rows.row_count

)

select * from final
