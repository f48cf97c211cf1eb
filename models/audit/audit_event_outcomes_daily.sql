{#
    Raw event rows per event day and outcome (kept, merged, quarantined),
    without reading the events again: base_license__event_days counts the
    raw rows of each day, base_license__events_exceptions holds every row
    that is not simply kept (with its outcome), and every other raw row is
    kept (that is how the view base_license__events is built; the test
    assert_every_raw_event_was_read counts the view against the raw input).
    audit_raw_rows sums this table for the events line, and
    assert_every_kept_event_is_counted compares its kept rows with the
    user-day activity counts (every kept event counted, also after
    incremental runs). Rows without a readable timestamp have a null
    event_date.
#}
with

event_days as (

    select * from {{ ref('base_license__event_days') }}

),

exceptions as (

    select * from {{ ref('base_license__events_exceptions') }}

),

exception_outcomes as (

    select
        {{ event_day_key('cast(event_ts as date)') }} as day_key,
        outcome,
        count(*) as raw_rows
    from exceptions
    group by {{ event_day_key('cast(event_ts as date)') }}, outcome

),

exception_days as (

    select
        day_key,
        sum(raw_rows) as raw_rows
    from exception_outcomes
    group by day_key

),

simply_kept as (

    select
        event_days.day_key,
        'kept' as outcome,
        event_days.raw_rows - coalesce(exception_days.raw_rows, 0) as raw_rows
    from event_days
    left join exception_days
        on event_days.day_key = exception_days.day_key

),

outcomes as (

    select * from simply_kept
    union all
    select * from exception_outcomes

),

final as (

    select
        event_days.event_date,
        outcomes.outcome,
        cast(sum(outcomes.raw_rows) as bigint) as raw_rows
    from outcomes
    inner join event_days
        on outcomes.day_key = event_days.day_key
    group by event_days.event_date, outcomes.outcome
    having sum(outcomes.raw_rows) > 0

)

select * from final
