{#
    Raw event rows per event day, and when each day's count last changed:
    what tells an incremental run of base_license__events_exceptions which
    days a new batch touched (a new day, late or replayed rows of an old
    day, a file taken away). The day is the UTC date of event_ts as the
    row rules read it (base_license__event_rows); rows whose event_ts does
    not read as a timestamp share one day, day_key 'unreadable'.

    Each day is also signed (files_signature), so that rows corrected in
    place, whose days keep their row counts (an event renamed, a user id
    fixed), still change their days. Raw files (var raw_path): a hash of
    the name, size, modification time and rows of that day of every file
    holding its rows. A warehouse table (or the seeds): the sum of a
    checksum of each row's columns (row_checksum), unless the var
    event_day_checksum is false; then only the count tells (README,
    "Reruns and late data").

    Incremental: every run counts the raw events per day and writes only
    the days whose count or signature differs from the stored one
    (delete+insert on day_key), stamped with the start of the run
    (changed_at). A day that lost all its rows stays, with raw_rows 0.
    With raw files the counts come from base_license__event_file_days,
    which reads each file once (a run reads only new or changed files); a
    warehouse table is counted and summed whole every run (one pass over
    its five columns; one column with event_day_checksum false).
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='delete+insert',
    unique_key='day_key',
    on_schema_change='append_new_columns',
) }}
{#- (a table from an earlier version keeps working: a column added since is
    appended; first_counted_at, no longer written, stays empty) #}

-- depends_on: {{ ref('base_license__event_rows') }}

with
{% if not var('raw_path', none) %}

    event_rows as (

        select * from {{ ref('base_license__event_rows') }}

    ),

    counted as (

        {#- with var event_day_checksum, each day signed with the sum of its
            rows' checksums (row_checksum) of the raw values as they are (no
            cleaning to pay for): a row corrected in place changes its day
            even when the count stays #}
        {%- set checksum_columns = [
            'raw_event_id', 'raw_user_id', 'raw_event_name', 'raw_feature_name', 'raw_event_ts'
        ] %}
        {%- set row_sum = 'sum(' ~ row_checksum(checksum_columns) ~ ')'
            if var('event_day_checksum', true) else 'null' %}
        select
            event_date,
            count(*) as raw_rows,
            cast({{ row_sum }} as {{ type_text() }}) as files_signature
        from event_rows
        group by event_date

    ),
{% else %}

    file_days as (

        {#- counted per file, each file once (base_license__event_file_days);
            a file with no rows has one row with raw_rows 0 #}
        select * from {{ ref('base_license__event_file_days') }}
        where raw_rows > 0

    ),

    file_day_stamps as (

        {#- per day and file: the file's name (not its folder: a landing
            folder that moves changes no day), size and modification time,
            and the rows of the day it holds #}
        select
            event_date,
            raw_rows,
            file_name
            || '|' || cast(file_size as {{ type_text() }})
            || '|' || cast(last_modified as {{ type_text() }})
            || '|' || cast(raw_rows as {{ type_text() }}) as file_day_stamp
        from file_days

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
