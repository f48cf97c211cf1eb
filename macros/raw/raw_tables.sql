{#
    The five raw tables of CONTRACT section 2 and the columns each must
    have. Used to read files and to check that an input has what the
    project needs before anything is built on it.
#}
{% macro raw_table_columns() -%}
    {{ return({
        'accounts': ['account_id', 'account_name', 'industry', 'employee_count', 'region', 'created_at'],
        'subscriptions': ['subscription_id', 'account_id', 'plan_name', 'plan_tier', 'pricing_model', 'seats_purchased', 'start_date', 'end_date', 'canceled_at'],
        'subscription_seat_changes': ['subscription_id', 'effective_date', 'seats_purchased'],
        'users': ['user_id', 'account_id', 'email', 'role', 'department', 'holds_license', 'created_at', 'deactivated_at'],
        'events': ['event_id', 'user_id', 'event_name', 'feature_name', 'event_ts'],
    }) }}
{%- endmacro %}


{#
    raw_table('events') -> the relation (or table function) a staging model
    reads a raw table from, by where the raw data lives:
      - var raw_path set: files DIR/<table>.csv, DIR/<table>.parquet or a
        folder DIR/<table>/ of Parquet files (DuckDB);
      - var raw_schema set: the warehouse table, via source('license_raw');
      - neither: the bundled seed, by ref(), so that dbt orders the seed
        before its staging model (a source() that points at a seed table
        has no DAG edge to it).
    source() is always called so the lineage graph shows the source.
#}
{% macro raw_table(table_name) -%}
    {%- set source_relation = source('license_raw', table_name) -%}
    {%- if var('raw_path', none) -%}
        {{ return(raw_file_relation(table_name, var('raw_path'))) }}
    {%- elif var('raw_schema', none) is none -%}
        {{ return(ref(table_name)) }}
    {%- else -%}
        {{ return(source_relation) }}
    {%- endif -%}
{%- endmacro %}


{% macro raw_file_relation(table_name, raw_path) -%}
    {{ return(adapter.dispatch('raw_file_relation', 'license_utilization')(table_name, raw_path)) }}
{%- endmacro %}

{% macro default__raw_file_relation(table_name, raw_path) -%}
    {{ exceptions.raise_compiler_error(
        "var raw_path is read by DuckDB only (target type '" ~ target.type ~ "'). "
        ~ "On a warehouse, load the files into tables and set the vars raw_database / raw_schema."
    ) }}
{%- endmacro %}

{#
    Finds which of the three file layouts holds the table, checks its
    columns, and returns a DuckDB table function reading it. Every column
    is read as text (CSV: all_varchar); staging does the typing, so a bad
    value becomes a quarantined row instead of a failed load.
#}
{% macro duckdb__raw_file_relation(table_name, raw_path) -%}
    {{ return(raw_file_layout(table_name, raw_path)['reader']) }}
{%- endmacro %}


{#
    The files a raw table is read from (var raw_path, DuckDB): a dict with
    `reader` (the table function), `reader_with_filename` (the same table
    function with a column lu_raw_file naming each row's file; a name no
    raw table uses), `file_stamps` (a select: one row per file with
    lu_raw_file, file_name without the folder, file_size, last_modified),
    and `function` and `options`, from which raw_files_reader builds a
    reader of some of the files only, and `column_types` (each column's
    type as the files hold it, upper case, by lower-case name). Raises a
    clear error when no layout or more than one holds the table, or a
    column is missing. Looked up once per table while a model compiles
    (kept in dbt's context for the rest of that compilation: a model reads
    the layout of its raw table from several macros).
#}
{% macro raw_file_layout(table_name, raw_path) -%}
    {%- if not execute -%}
        {#- parsing: dbt renders every model, a disabled one too (to read its
            config), on every engine; the files are looked up when it runs #}
        {{ return({
            'reader': '', 'reader_with_filename': '', 'file_stamps': 'select 1 as lu_raw_file',
            'function': '', 'options': '', 'column_types': {},
        }) }}
    {%- endif -%}
    {{ return(adapter.dispatch('raw_file_layout', 'license_utilization')(table_name, raw_path)) }}
{%- endmacro %}

{% macro default__raw_file_layout(table_name, raw_path) -%}
    {{ return(default__raw_file_relation(table_name, raw_path)) }}
{%- endmacro %}

{% macro duckdb__raw_file_layout(table_name, raw_path) -%}
    {%- set found_before = context.setdefault('lu_raw_file_layouts', {}) -%}
    {%- set key = table_name ~ ' @ ' ~ raw_path -%}
    {%- if key in found_before -%}
        {{ return(found_before[key]) }}
    {%- endif -%}
    {%- set base = (raw_path | string).rstrip('/') ~ '/' ~ table_name -%}
    {#- (layout, glob, table function, its options) -#}
    {%- set candidates = [
        ('parquet_file', base ~ '.parquet', 'read_parquet', ''),
        ('parquet_folder', base ~ '/*.parquet', 'read_parquet', ', union_by_name = true'),
        ('csv_file', base ~ '.csv', 'read_csv', ', header = true, all_varchar = true, auto_detect = true'),
    ] -%}
    {%- set probe_sql -%}
        {%- for candidate in candidates %}
        select '{{ candidate[0] }}' as layout, count(*) as files from glob('{{ candidate[1] }}')
        {%- if not loop.last %} union all{% endif %}
        {%- endfor %}
    {%- endset -%}
    {%- set probe = run_query(probe_sql) -%}
    {%- set found = [] -%}
    {%- for row in probe.rows -%}
        {%- if row['files'] > 0 -%}{%- do found.append(row['layout']) -%}{%- endif -%}
    {%- endfor -%}
    {%- if found | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "' not found under raw_path '" ~ raw_path ~ "': expected "
            ~ base ~ ".csv, " ~ base ~ ".parquet or a folder " ~ base ~ "/ of Parquet files"
        ) }}
    {%- endif -%}
    {%- if found | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "' is ambiguous under raw_path '" ~ raw_path ~ "': found "
            ~ found | join(' and ') ~ "; keep exactly one of " ~ base ~ ".csv, " ~ base ~ ".parquet, " ~ base ~ "/"
        ) }}
    {%- endif -%}
    {%- set chosen = candidates | selectattr(0, 'equalto', found[0]) | first -%}
    {%- set reader = chosen[2] ~ "('" ~ chosen[1] ~ "'" ~ chosen[3] ~ ")" -%}
    {%- set column_types = check_raw_columns(table_name, reader) -%}
    {%- set layout = {
        'reader': reader,
        'reader_with_filename': chosen[2] ~ "('" ~ chosen[1] ~ "'" ~ chosen[3] ~ ", filename = 'lu_raw_file')",
        'file_stamps': "select filename as lu_raw_file, parse_filename(filename) as file_name, "
            ~ "size as file_size, last_modified from read_blob('" ~ chosen[1] ~ "')",
        'function': chosen[2],
        'options': chosen[3],
        'column_types': column_types,
    } -%}
    {%- do found_before.update({key: layout}) -%}
    {{ return(layout) }}
{%- endmacro %}


{#
    A reader of some of a raw table's files only (`files`: their paths as
    the layout's file_stamps give them in lu_raw_file, at least one), with
    the column lu_raw_file: what reads only the files an incremental run
    has not counted yet (base_license__event_file_days).
#}
{% macro raw_files_reader(layout, files) -%}
    {{ return(adapter.dispatch('raw_files_reader', 'license_utilization')(layout, files)) }}
{%- endmacro %}

{% macro default__raw_files_reader(layout, files) -%}
    {{ return(default__raw_file_relation('events', var('raw_path', none))) }}
{%- endmacro %}

{% macro duckdb__raw_files_reader(layout, files) -%}
    {{ return(layout['function'] ~ '([' ~ text_literals(files) ~ ']' ~ layout['options'] ~ ", filename = 'lu_raw_file')") }}
{%- endmacro %}


{#
    SQL: `values` as comma-separated text literals (quotes doubled).
#}
{% macro text_literals(values) -%}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append("'" ~ (value | string).replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {{- quoted | join(', ') -}}
{%- endmacro %}


{#
    The type each contract column is read as (CONTRACT section 2): text,
    integer, date, timestamp or boolean. Staging casts every raw value
    itself (a bad value is quarantined), so a file may hold any scalar
    type; only types with no text form a value can be read from (lists,
    structs, maps, unions, binary) stop the build.
#}
{% macro raw_table_column_types() -%}
    {{ return({
        'accounts': {'account_id': 'text', 'account_name': 'text', 'industry': 'text', 'employee_count': 'integer', 'region': 'text', 'created_at': 'timestamp'},
        'subscriptions': {'subscription_id': 'text', 'account_id': 'text', 'plan_name': 'text', 'plan_tier': 'text', 'pricing_model': 'text', 'seats_purchased': 'integer', 'start_date': 'date', 'end_date': 'date', 'canceled_at': 'date'},
        'subscription_seat_changes': {'subscription_id': 'text', 'effective_date': 'date', 'seats_purchased': 'integer'},
        'users': {'user_id': 'text', 'account_id': 'text', 'email': 'text', 'role': 'text', 'department': 'text', 'holds_license': 'boolean', 'created_at': 'timestamp', 'deactivated_at': 'timestamp'},
        'events': {'event_id': 'text', 'user_id': 'text', 'event_name': 'text', 'feature_name': 'text', 'event_ts': 'timestamp'},
    }) }}
{%- endmacro %}


{# 'timestamp' -> "a timestamp (or text that reads as one)", for error messages. #}
{% macro raw_expected_type_text(expected_type) -%}
    {%- if expected_type == 'text' -%}
        {{ return('text (or a scalar type that reads as text)') }}
    {%- elif expected_type == 'integer' -%}
        {{ return('an integer (or text that reads as one)') }}
    {%- else -%}
        {{ return('a ' ~ expected_type ~ ' (or text that reads as one)') }}
    {%- endif -%}
{%- endmacro %}


{#
    Stops the build when a raw input lacks a column the project reads, or
    holds a contract column in a type no value can be read from (DuckDB
    LIST / ARRAY, STRUCT, MAP, UNION, BLOB, BIT), naming the table, the
    column, the type found and the type expected. Returns the input's
    column types (upper case, by lower-case column name).
#}
{% macro check_raw_columns(table_name, relation_sql) -%}
    {%- set described = run_query('describe select * from ' ~ relation_sql) -%}
    {%- set names = described.columns['column_name'].values() | map('lower') | list -%}
    {%- set types = described.columns['column_type'].values() | list -%}
    {%- set expected_types = raw_table_column_types()[table_name] -%}
    {%- set missing = [] -%}
    {%- for column_name in raw_table_columns()[table_name] -%}
        {%- if column_name not in names -%}
            {%- do missing.append(column_name ~ ' (expected type: ' ~ expected_types[column_name] ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "' is missing required column(s) " ~ missing | join(', ')
            ~ "; found columns: " ~ names | join(', ') ~ "; see CONTRACT section 2"
        ) }}
    {%- endif -%}
    {%- set unreadable = [] -%}
    {%- for column_name in names -%}
        {%- set column_type = types[loop.index0] | string -%}
        {%- set type_upper = column_type | upper | trim -%}
        {%- set is_unreadable = (
            '[' in type_upper
            or type_upper.startswith('STRUCT')
            or type_upper.startswith('MAP')
            or type_upper.startswith('UNION')
            or type_upper.startswith('BLOB')
            or type_upper.startswith('BYTEA')
            or type_upper.startswith('BIT')
            or type_upper.startswith('LIST')
        ) -%}
        {%- if column_name in expected_types and is_unreadable -%}
            {%- do unreadable.append(
                "raw table '" ~ table_name ~ "' column '" ~ column_name ~ "' has type " ~ column_type
                ~ ", expected " ~ raw_expected_type_text(expected_types[column_name])
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if unreadable -%}
        {{ exceptions.raise_compiler_error(
            unreadable | join('; ') ~ "; see CONTRACT section 2 (write the column as a scalar value or as text)"
        ) }}
    {%- endif -%}
    {%- set column_types = {} -%}
    {%- for column_name in names -%}
        {%- do column_types.update({column_name: types[loop.index0] | string | upper | trim}) -%}
    {%- endfor -%}
    {{ return(column_types) }}
{%- endmacro %}
