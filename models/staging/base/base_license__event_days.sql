{#
    Raw event rows per event day, and when each day's count last changed:
    what tells an incremental run of base_license__events_exceptions which
    days a new batch touched (a new day, late or replayed rows of an old
    day, a file taken away). The day is the UTC date of event_ts as the
    row rules read it (base_license__event_rows); rows whose event_ts does
    not read as a timestamp share one day, day_key 'unreadable'.

    Incremental: every run counts the raw events per day (one pass over
    one column, the cheapest full read of the events there is) and writes
    only the days whose count differs from the stored one (delete+insert
    on day_key), stamped with the start of the run (changed_at). A day
    that lost all its rows stays, with raw_rows 0.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='delete+insert',
    unique_key='day_key',
    on_schema_change='fail',
) }}

with

event_rows as (

    select * from {{ ref('base_license__event_rows') }}

),

counted as (

    select
        event_date,
        count(*) as raw_rows
    from event_rows
    group by event_date

),

keyed as (

    select
        event_date,
        {{ event_day_key('event_date') }} as day_key,
        raw_rows
    from counted

),

{% if is_incremental() %}

    stored as (

        select * from {{ this }}

    ),

    changed as (

        {#- days whose count moved, and days that are gone (counted as 0) #}
        select
            coalesce(keyed.event_date, stored.event_date) as event_date,
            coalesce(keyed.day_key, stored.day_key) as day_key,
            coalesce(keyed.raw_rows, 0) as raw_rows
        from keyed
        full outer join stored
            on keyed.day_key = stored.day_key
        where coalesce(keyed.raw_rows, 0) <> coalesce(stored.raw_rows, 0)

    ),
{% else %}

    changed as (

        select * from keyed

    ),
{% endif %}

final as (

    select
        event_date,
        cast(day_key as {{ type_text() }}) as day_key,
        cast(raw_rows as bigint) as raw_rows,
        {{ run_started_timestamp() }} as changed_at
    from changed

)

select * from final
