{#
    Raw event rows per landing file and event day, with the file's stamp
    (size, modification time): what base_license__event_days sums into
    its per-day counts and file signatures. Only with raw files (var
    raw_path, DuckDB; dbt_project.yml enables it there): a warehouse table
    has no files, and base_license__event_days counts it directly.

    Why per file: a landing folder only grows by new files, or now and
    then has one replaced, corrected in place or taken away. Counting
    each file once, when its stamp is new, keeps the cost of an
    incremental run with the new files instead of the whole history.

    A file is known by its name: the layouts hold one file, or one folder
    of files (raw_file_layout), so a name is unique, and a landing folder
    that moves (its files copied with their times) is not read again.

    Incremental (strategy replace_stale): a run after the first reads only
    the files whose name, size or modification time it has not stored
    (looked up when the model compiles); it replaces the stored rows of
    the files it read and deletes those of files that are gone. Every file
    read has at least one row: a file with no rows gets one with no
    event_date and raw_rows 0, so that it is stored and not read again.
    The event day is read as base_license__event_rows reads it (the UTC
    date of event_ts; null when it does not read as a timestamp).
#}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_stale',
    stale_rows_macro='event_file_days_stale_rows',
    on_schema_change='fail',
) }}

{%- set layout = raw_file_layout('events', var('raw_path')) %}
{%- set files = event_file_days_plan(this, layout) %}
{#- every file on a build from scratch, else the files with a new stamp #}
{%- set reader = layout['reader_with_filename'] if not files
    else raw_files_reader(layout, files | map(attribute='path') | list) %}
-- depends_on: {{ ref('base_license__event_rows') }}

with

file_stamps as (

    select
        {{ key_hash('stamps.lu_raw_file') }} as file_key,
        stamps.file_name,
        stamps.file_size,
        stamps.last_modified
    from ({{ layout['file_stamps'] }}) as stamps

),

file_rows as (

    {#- the rows of the files to count (none when no file is new), each
        with the hash of its file's path: grouping by it costs a fraction
        of grouping by the text. (The reader's options read as keywords to
        the linter.) #}
    select
        {{ key_hash('source.lu_raw_file') }} as file_key,
        cast({{ clean_typed('events', 'event_ts', 'source.event_ts', 'timestamp') }} as date) as event_date
    from {{ reader }} as source  -- noqa: RF04
    where {{ '1 = 0' if files == [] else '1 = 1' }}

),

rows_per_file as (

    select
        file_key,
        event_date,
        count(*) as raw_rows
    from file_rows
    group by file_key, event_date

),

final as (

    select
        file_stamps.file_name,
        file_stamps.file_size,
        file_stamps.last_modified,
        rows_per_file.event_date,
        cast(coalesce(rows_per_file.raw_rows, 0) as bigint) as raw_rows,
        {{ run_started_timestamp() }} as counted_at
    from file_stamps
    left join rows_per_file
        on file_stamps.file_key = rows_per_file.file_key
    {%- if files is not none %}
    where {{ event_file_condition(files | map(attribute='name') | list, 'file_stamps.file_name') }}
    {%- endif %}

)

select * from final
