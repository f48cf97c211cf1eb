{{ config(severity='warn') }}
{#
    Incremental runs recount the user-day activity of the last
    event_lookback_days days only. A kept event that lands later with an
    older timestamp (late beyond the look-back), or one whose older copy
    changes which copy of its id is kept, is then not (or wrongly) counted.
    This test warns with the days whose counts disagree with the kept
    events instead of letting them pass unseen: run `dbt build
    --full-refresh` to recount them.
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
