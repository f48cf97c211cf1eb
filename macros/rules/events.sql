{#
    Validation of the raw events, shared by base_license__events_exceptions
    (the rows that are not simply kept, materialised) and base_license__events
    (every row, a view): both must classify a row the same way.
#}

{#
    SQL (a select): every row of the raw events, typed, with the original
    values (raw_<column>, for the JSON record of a rejected row) and the
    first row-level rule it breaks (row_rule, null when none).

    A raw column that a Parquet file already holds in the contract type
    (event_ts as TIMESTAMP) is read as it is: no text round trip per event,
    and a date filter on it reaches the file's row-group statistics.
    "In the future" is judged against the start of the dbt invocation
    (run_started_at), not the query clock, so the view and the table built
    in the same run agree on every row.
#}
{% macro checked_raw_events(relation) -%}
    {%- set raw_columns = raw_table_columns()['events'] -%}
    {%- set rules = [
        ('missing_event_id', 'typed.event_id is null'),
        ('missing_user_id', 'typed.user_id is null'),
        ('missing_event_name', 'typed.event_name is null'),
        ('invalid_event_ts', 'typed.event_ts is null'),
        ('event_in_future', 'typed.event_ts > ' ~ event_future_limit()),
    ] %}
    select
        typed.*,
        {{ first_failing_rule(rules) }} as row_rule
    from (
        select
            {{ raw_values(raw_columns) }},
            {{ clean_text('source.event_id') }} as event_id,
            {{ clean_text('source.user_id') }} as user_id,
            {{ clean_text('source.event_name', lower=true) }} as event_name,
            {{ clean_text('source.feature_name') }} as feature_name,
            {{ clean_typed('events', 'event_ts', 'source.event_ts', 'timestamp') }} as event_ts
        from {{ relation }} as source
    ) as typed
{%- endmacro %}


{# SQL: the latest event_ts that is not "in the future" (a timestamp literal). #}
{% macro event_future_limit() -%}
    {%- set limit = run_started_at + modules.datetime.timedelta(hours=var('future_event_tolerance_hours', 24) | int) -%}
    cast('{{ limit.strftime('%Y-%m-%d %H:%M:%S') }}' as timestamp)
{%- endmacro %}


{#
    SQL (a condition on a raw events row `alias`): true for every row that
    checked_raw_events may not pass as it is: an event_id, user_id or
    event_name that is null, empty or starts or ends with a space (its
    cleaned value may be null or differ from the raw text), and an event_ts
    that is missing or in the future. No cleaning, no trim: a cheap test
    over every raw row. A row it is false for breaks no row rule, and its
    cleaned event_id and user_id are its raw text: it can be matched
    against ids and users as it is. (A row it is true for is checked in
    full; most of them are simply kept.)
#}
{% macro raw_event_needs_cleaning(alias='source') -%}
    {%- set conditions = [] -%}
    {%- for column in ['event_id', 'user_id', 'event_name'] -%}
        {%- set text = 'cast(' ~ alias ~ '.' ~ column ~ ' as ' ~ type_text() ~ ')' -%}
        {%- do conditions.append(alias ~ '.' ~ column ~ ' is null') -%}
        {%- do conditions.append(text ~ " = ''") -%}
        {%- do conditions.append(text ~ " like ' %'") -%}
        {%- do conditions.append(text ~ " like '% '") -%}
    {%- endfor -%}
    {%- set event_ts = clean_typed('events', 'event_ts', alias ~ '.event_ts', 'timestamp') -%}
    {%- do conditions.append(event_ts ~ ' is null') -%}
    {%- do conditions.append(event_ts ~ ' > ' ~ event_future_limit()) -%}
    ({{ conditions | join('\n        or ') }})
{%- endmacro %}


{#
    SQL: a raw column typed as data_type: as it is when the raw input
    already holds it in that type (a Parquet column, a warehouse table's
    column: raw_column_type), else through its cleaned text (clean_cast).
#}
{% macro clean_typed(table_name, column_name, expression, data_type) -%}
    {#- the names engines give the type (a Postgres timestamp is `timestamp
        without time zone`, a Snowflake one TIMESTAMP_NTZ) #}
    {%- set same_type = {
        'timestamp': ['TIMESTAMP', 'TIMESTAMP WITHOUT TIME ZONE', 'TIMESTAMP_NTZ'],
    }.get(data_type | lower, [data_type | upper]) -%}
    {%- if raw_column_type(table_name, column_name) in same_type -%}
        {{ expression }}
    {%- else -%}
        {{ clean_cast(expression, data_type) }}
    {%- endif -%}
{%- endmacro %}


{#
    The type (upper case, as the engine names it) of a raw column as the
    raw input holds it, or none when it is not known at compile time.
    Known for raw files (var raw_path, DuckDB: the file's own type) and for
    warehouse tables (var raw_schema: the column's type in the warehouse),
    which both exist before the build starts; the seeds are loaded by the
    same build, so they go through clean_cast.
#}
{% macro raw_column_type(table_name, column_name) -%}
    {{ return(adapter.dispatch('raw_column_type', 'license_utilization')(table_name, column_name)) }}
{%- endmacro %}

{% macro default__raw_column_type(table_name, column_name) -%}
    {%- if not execute or var('raw_path', none) or var('raw_schema', none) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- for column in adapter.get_columns_in_relation(source('license_raw', table_name)) -%}
        {%- if column.name | lower == column_name | lower -%}
            {{ return(column.dtype | string | upper | trim) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb__raw_column_type(table_name, column_name) -%}
    {%- if not execute or not var('raw_path', none) -%}
        {{ return(default__raw_column_type(table_name, column_name)) }}
    {%- endif -%}
    {#- the types the layout's check read (raw_file_layout) #}
    {{ return(raw_file_layout(table_name, var('raw_path'))['column_types'].get(column_name | lower)) }}
{%- endmacro %}
