{#
    Raw event rows per event day, and when each day's count last changed:
    what tells an incremental run of base_license__events_exceptions which
    days a new batch touched (a new day, late or replayed rows of an old
    day, a file taken away). The day is the UTC date of event_ts as the
    row rules read it (base_license__event_rows); rows whose event_ts does
    not read as a timestamp share one day, day_key 'unreadable'.

    Raw files (var raw_path) also sign each day: files_signature, a hash
    of the name, size, modification time and rows of that day of every
    file holding its rows. So a file corrected in place, whose days keep
    their row counts (an event renamed, a user id fixed), still changes
    its days. A warehouse table has no such stamps: there only the count
    tells (README, "Reruns and late data").

    Incremental: every run counts the raw events per day (one pass over
    one column, the cheapest full read of the events there is; with raw
    files, per file too) and writes only the days whose count or
    signature differs from the stored one (delete+insert on day_key),
    stamped with the start of the run (changed_at). A day that lost all
    its rows stays, with raw_rows 0.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='delete+insert',
    unique_key='day_key',
    on_schema_change='fail',
) }}

{%- set raw_files = raw_file_layout('events', var('raw_path')) if var('raw_path', none) else none %}
-- depends_on: {{ ref('base_license__event_rows') }}

with
{% if raw_files is none %}

    event_rows as (

        select * from {{ ref('base_license__event_rows') }}

    ),

    counted as (

        select
            event_date,
            count(*) as raw_rows,
            cast(null as {{ type_text() }}) as files_signature
        from event_rows
        group by event_date

    ),
{% else %}

    file_rows as (

        {#- the day as base_license__event_rows reads it, and the file (by
            a hash of its path: grouping by it costs a fraction of grouping
            by the text) #}
        select
            {{ key_hash('source.lu_raw_file') }} as file_key,
            cast({{ clean_typed('events', 'event_ts', 'source.event_ts', 'timestamp') }} as date) as event_date
        from {{ raw_files['reader_with_filename'] }} as source

    ),

    file_stamps as (

        select
            {{ key_hash('stamps.lu_raw_file') }} as file_key,
            stamps.file_name,
            stamps.file_size,
            stamps.last_modified
        from ({{ raw_files['file_stamps'] }}) as stamps

    ),

    rows_per_file as (

        select
            file_key,
            event_date,
            count(*) as raw_rows
        from file_rows
        group by file_key, event_date

    ),

    file_day_stamps as (

        {#- per day and file: the file's name (not its folder: a landing
            folder that moves changes no day), size and modification time,
            and the rows of the day it holds #}
        select
            rows_per_file.event_date,
            rows_per_file.raw_rows,
            file_stamps.file_name
            || '|' || cast(file_stamps.file_size as {{ type_text() }})
            || '|' || cast(file_stamps.last_modified as {{ type_text() }})
            || '|' || cast(rows_per_file.raw_rows as {{ type_text() }}) as file_day_stamp
        from rows_per_file
        left join file_stamps
            on rows_per_file.file_key = file_stamps.file_key

    ),

    counted as (

        select
            event_date,
            sum(raw_rows) as raw_rows,
            md5({{ string_agg_ordered('file_day_stamp', ',') }}) as files_signature
        from file_day_stamps
        group by event_date

    ),
{% endif %}

keyed as (

    select
        event_date,
        {{ event_day_key('event_date') }} as day_key,
        raw_rows,
        files_signature
    from counted

),

{% if is_incremental() %}

    stored as (

        select * from {{ this }}

    ),

    changed as (

        {#- days whose count or files moved, and days that are gone (counted
            as 0) #}
        select
            coalesce(keyed.event_date, stored.event_date) as event_date,
            coalesce(keyed.day_key, stored.day_key) as day_key,
            coalesce(keyed.raw_rows, 0) as raw_rows,
            keyed.files_signature
        from keyed
        full outer join stored
            on keyed.day_key = stored.day_key
        where coalesce(keyed.raw_rows, 0) <> coalesce(stored.raw_rows, 0)
            or coalesce(keyed.files_signature, '') <> coalesce(stored.files_signature, '')

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
        cast(files_signature as {{ type_text() }}) as files_signature,
        {{ run_started_timestamp() }} as changed_at
    from changed

)

select * from final
