{#
    Every raw event row, cleaned and typed as the validation reads it
    (checked_raw_events), with the first row-level rule it breaks, and no
    outcome: for aggregates that count every raw row and take away the
    rows that are not kept (base_license__events_exceptions holds every
    one of them). Counting that way needs no match of each raw row
    against the exceptions, and does not even read event_id; the view
    base_license__events, which lists the rows, must match them. Also what
    the day counts and checksums (base_license__event_days, which sums the
    raw values: no cleaning needed there), the id index
    (base_license__event_id_days) and the exceptions' lookup of the days
    that hold copies (event_copy_days_plan) read.
#}
{{ config(materialized='view') }}

with

source as (

    select * from {{ raw_table('events') }}

),

checked as (

    {{ checked_raw_events('source') }}

),

final as (

    select
        event_id,
        user_id,
        event_name,
        feature_name,
        event_ts,
        cast(event_ts as date) as event_date,
        row_rule,
        raw_event_id,
        raw_user_id,
        raw_event_name,
        raw_feature_name,
        raw_event_ts
    from checked

)

select * from final
