{{ config(severity='warn') }}
{#
    Every kept event is counted in the user-day activity, also after
    incremental runs: int_user_activity_daily recounts only the days whose
    kept events may have changed (found from the raw counts per day and
    the event rows decided again). Should a change slip past that (a bug,
    or a table edited by hand), this test warns with the days whose counts
    disagree with the kept events instead of letting them pass unseen:
    `dbt build --full-refresh` recounts them.
#}
with

kept_events as (

    select
        event_date as activity_date,
        sum(raw_rows) as kept_events
    from {{ ref('audit_event_outcomes_daily') }}
    where outcome = 'kept'
    group by event_date

),

counted_events as (

    select
        activity_date,
        sum(event_count) as counted_events
    from {{ ref('int_user_activity_daily') }}
    group by activity_date

),

final as (

    select
        coalesce(kept_events.activity_date, counted_events.activity_date) as activity_date,
        coalesce(kept_events.kept_events, 0) as kept_events,
        coalesce(counted_events.counted_events, 0) as counted_events
    from kept_events
    full outer join counted_events
        on kept_events.activity_date = counted_events.activity_date
    where coalesce(kept_events.kept_events, 0) <> coalesce(counted_events.counted_events, 0)

)

select * from final
