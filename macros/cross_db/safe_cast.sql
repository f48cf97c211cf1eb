{#
    try_cast(expression as type): null instead of an error when a value
    cannot be read as the type. `dbt.safe_cast` is a plain cast on DuckDB
    and Postgres, so raw values are cast through this macro instead.
    The expression is expected to be text (staging casts raw columns to
    text first), so every engine sees the same input.
#}
{% macro try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'license_utilization')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#
    DuckDB's try_cast('2.5' as bigint) rounds to 3: a non-integer seat
    count would be kept as another number. Integers are only read from
    text that is a whole number.
#}
{% macro duckdb__try_cast(expression, data_type) -%}
    {{- whole_number_try_cast(expression, data_type) -}}
{%- endmacro %}

{% macro spark__try_cast(expression, data_type) -%}
    {{- whole_number_try_cast(expression, data_type) -}}
{%- endmacro %}

{#
    try_cast that reads integers only from whole numbers (DuckDB and Spark
    round or truncate '2.5' when casting it to an integer).
#}
{% macro whole_number_try_cast(expression, data_type) -%}
    {%- if data_type | lower | trim in ('integer', 'int', 'bigint', 'smallint') -%}
        case
            when try_cast({{ expression }} as double) = try_cast({{ expression }} as {{ data_type }})
                then try_cast({{ expression }} as {{ data_type }})
        end
    {%- else -%}
        try_cast({{ expression }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}

{% macro bigquery__try_cast(expression, data_type) -%}
    safe_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#
    PostgreSQL 15 has no try_cast: a value is cast only when its text has
    the shape of the type. (A well-shaped impossible date such as
    2026-02-30 still raises, with Postgres naming the value.)
#}
{% macro postgres__try_cast(expression, data_type) -%}
    {%- set type_name = data_type | lower | trim -%}
    {%- if type_name in ('date',) -%}
        {%- set pattern = '^\\d{4}-\\d{2}-\\d{2}$' -%}
    {%- elif type_name.startswith('timestamp') -%}
        {%- set pattern = '^\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?([+-]\\d{2}(:?\\d{2})?|Z)?$' -%}
    {%- elif type_name in ('integer', 'int', 'bigint', 'smallint') -%}
        {%- set pattern = '^[+-]?\\d{1,18}$' -%}
    {%- elif type_name in ('boolean', 'bool') -%}
        {#- embedded options must open a Postgres regex; the words DuckDB and Spark read -#}
        {%- set pattern = '(?i)^(t|f|true|false|y|n|yes|no|1|0)$' -%}
    {%- elif type_name in ('numeric', 'double precision', 'float', 'real') or type_name.startswith('numeric') -%}
        {%- set pattern = '^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$' -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("try_cast: no safe cast to '" ~ data_type ~ "' on postgres") }}
    {%- endif -%}
    case
        when trim({{ expression }}) ~ '{{ pattern }}'
            then cast(trim({{ expression }}) as {{ data_type }})
    end
{%- endmacro %}
