{#
    Raw event rows per event day and outcome (kept, merged, quarantined):
    the one pass over every event that the audit needs. audit_raw_rows
    sums it for the events line, and the audit tests compare it with the
    raw input (no row lost or read twice) and with the user-day activity
    counts (every kept event counted, also after incremental runs).
    Rows without a readable timestamp have a null event_date.
#}
with

events as (

    select * from {{ ref('base_license__events') }}

),

final as (

    select
        cast(event_ts as date) as event_date,
        outcome,
        cast(count(*) as bigint) as raw_rows
    from events
    group by cast(event_ts as date), outcome

)

select * from final
