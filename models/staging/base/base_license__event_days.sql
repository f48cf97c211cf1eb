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
    first_counted_at keeps when the day was first counted: a day first
    counted after a model's last build held no events then, so its new
    events can only add rows (the intervals models then compute again
    only the users counted on it). Null for the days of a table built
    before the column (taken as old days).
    grown_only_since says the same of an old day: since then its raw rows
    have only grown. With raw files, a change grows a day when every file
    that held its rows still holds them as it did (stored with the day:
    raw_files; a file replaced or taken away may have taken rows away),
    as when the rest of a day lands in a new file. A warehouse table
    cannot tell: every change of an old day counts as a loss. Null for the
    days of a table built before the column (taken as lost).
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
{#- a table from before first_counted_at (raw_files, grown_only_since) gets
    the column (null: old days, whose rows may have been lost) #}
{%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list
    if is_incremental() and execute else [] %}
{%- set raw_files = var('raw_path', none) %}

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
            cast({{ row_sum }} as {{ type_text() }}) as files_signature,
            cast(null as bigint) as raw_files
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
            md5({{ string_agg_ordered('file_day_stamp', ',') }}) as files_signature,
            count(*) as raw_files
        from file_day_stamps
        group by event_date

    ),
{% endif %}

keyed as (

    select
        event_date,
        {{ event_day_key('event_date') }} as day_key,
        raw_rows,
        files_signature,
        raw_files
    from counted

),

{% if is_incremental() %}

    stored as (

        select * from {{ this }}

    ),
    {%- set grown = 'stored.raw_files is not null and coalesce(unchanged.unchanged_files, 0) = stored.raw_files'
        if raw_files and 'raw_files' in stored_columns else '1 = 0' %}
    {%- if raw_files %}

        unchanged as (

            {#- per stored day: its files still there as they were when the day
                last changed (counted no later) #}
            select
                stored.day_key,
                count(*) as unchanged_files
            from file_days
            inner join stored
                on {{ event_day_key('file_days.event_date') }} = stored.day_key
            where file_days.counted_at <= stored.changed_at
            group by stored.day_key

        ),
    {%- endif %}

    changed as (

        {#- days whose count or files moved, and days that are gone (counted
            as 0) #}
        select
            coalesce(keyed.event_date, stored.event_date) as event_date,
            coalesce(keyed.day_key, stored.day_key) as day_key,
            coalesce(keyed.raw_rows, 0) as raw_rows,
            keyed.files_signature,
            keyed.raw_files,
            case
                when stored.day_key is null then {{ run_started_timestamp() }}
                else {{ 'stored.first_counted_at' if 'first_counted_at' in stored_columns else 'cast(null as timestamp)' }}
            end as first_counted_at,
            case
                when stored.day_key is null then {{ run_started_timestamp() }}
                {#- grown: since when it has only grown; a stored day of a
                    table without the column, from now on #}
                when {{ grown }}
                    then coalesce(
                        {{ 'stored.grown_only_since' if 'grown_only_since' in stored_columns
                            else 'cast(null as timestamp)' }},
                        {{ run_started_timestamp() }}
                    )
                else {{ run_started_timestamp() }}
            end as grown_only_since
        from keyed
        full outer join stored
            on keyed.day_key = stored.day_key
        {%- if raw_files %}
        left join unchanged
            on stored.day_key = unchanged.day_key
        {%- endif %}
        where coalesce(keyed.raw_rows, 0) <> coalesce(stored.raw_rows, 0)
            or coalesce(keyed.files_signature, '') <> coalesce(stored.files_signature, '')

    ),
{% else %}

    changed as (

        select
            keyed.*,
            {{ run_started_timestamp() }} as first_counted_at,
            {{ run_started_timestamp() }} as grown_only_since
        from keyed

    ),
{% endif %}

final as (

    select
        event_date,
        cast(day_key as {{ type_text() }}) as day_key,
        cast(raw_rows as bigint) as raw_rows,
        cast(files_signature as {{ type_text() }}) as files_signature,
        {{ run_started_timestamp() }} as changed_at,
        cast(first_counted_at as timestamp) as first_counted_at,
        cast(raw_files as bigint) as raw_files,
        cast(grown_only_since as timestamp) as grown_only_since
    from changed

)

select * from final
