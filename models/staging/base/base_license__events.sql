{#
    Every raw event row, typed, with its validation outcome: the rows of
    base_license__events_exceptions (rule breaks, repeated ids, unknown
    users) and every other raw row, kept as it is.

    A view: the kept majority is read straight from the raw input whenever
    it is needed (the Parquet scan is cheap; storing a typed copy of every
    event is not), and a raw row is never kept twice: a valid row is taken
    from the raw input only when its raw event_id is not among the valid
    rows of the exceptions table. (A valid row of a repeated id has the
    same cleaned id, and so the same hash, as the other copies: it is in
    the exceptions table itself.) Columns the reader does not select (the
    fingerprint, the record) are not computed for the kept majority.
#}
{{ config(materialized='view') }}

with

source as (

    select * from {{ raw_table('events') }}

),

exceptions as {{ materialized_cte(false) }} (

    {#- read twice (the valid ids, the rows): re-reading the small table
        lets the engine drop the columns a reader does not select, which a
        materialised CTE would stop (a count of the view then reads three
        raw columns instead of five, and no fingerprints) #}
    select * from {{ ref('base_license__events_exceptions') }}

),

valid_exception_ids as (

    select distinct raw_event_id
    from exceptions
    where row_rule is null

),

checked as (

    {{ checked_raw_events('source') }}

),

simply_kept as (

    select
        checked.event_id,
        checked.user_id,
        checked.event_name,
        checked.feature_name,
        checked.event_ts,
        {{ row_fingerprint(['checked.user_id', 'checked.event_name', 'checked.feature_name', 'checked.event_ts']) }}
            as fingerprint,
        checked.row_rule,
        1 as key_rank,
        true as is_identical_to_kept,
        cast(null as {{ type_text() }}) as reference_rule,
        'kept' as outcome,
        cast(null as {{ type_text() }}) as quarantine_rule,
        cast(null as {{ type_text() }}) as record
    from checked
    left join valid_exception_ids
        on checked.raw_event_id = valid_exception_ids.raw_event_id
    where checked.row_rule is null
        and valid_exception_ids.raw_event_id is null

),

flagged as (

    select
        event_id,
        user_id,
        event_name,
        feature_name,
        event_ts,
        fingerprint,
        row_rule,
        key_rank,
        is_identical_to_kept,
        reference_rule,
        outcome,
        quarantine_rule,
        record
    from exceptions

),

final as (

    select * from simply_kept
    union all
    select * from flagged

)

select * from final
