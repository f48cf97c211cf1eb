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
    {%- set base = (raw_path | string).rstrip('/') ~ '/' ~ table_name -%}
    {%- set candidates = [
        ('parquet_file', base ~ '.parquet', "read_parquet('" ~ base ~ ".parquet')"),
        ('parquet_folder', base ~ '/*.parquet', "read_parquet('" ~ base ~ "/*.parquet', union_by_name = true)"),
        ('csv_file', base ~ '.csv', "read_csv('" ~ base ~ ".csv', header = true, all_varchar = true, auto_detect = true)"),
    ] -%}
    {%- if not execute -%}
        {{ return(candidates[0][2]) }}
    {%- endif -%}
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
    {%- set reader = (candidates | selectattr(0, 'equalto', found[0]) | first)[2] -%}
    {%- do check_raw_columns(table_name, reader) -%}
    {{ return(reader) }}
{%- endmacro %}


{# Stops the build when a raw input lacks a column the project reads. #}
{% macro check_raw_columns(table_name, relation_sql) -%}
    {%- set described = run_query('describe select * from ' ~ relation_sql) -%}
    {%- set present = described.columns[0].values() | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for column_name in raw_table_columns()[table_name] -%}
        {%- if column_name not in present -%}{%- do missing.append(column_name) -%}{%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "' is missing required column(s) " ~ missing | join(', ')
            ~ " (found: " ~ present | join(', ') ~ "); see CONTRACT section 2"
        ) }}
    {%- endif -%}
{%- endmacro %}
