{#
    Column types that differ between engines. `dbt.type_float()` is a
    4-byte float on DuckDB and Spark, so percentages use our own double.
#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'license_utilization')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{% macro bigquery__type_double() -%}
    float64
{%- endmacro %}

{% macro type_text() -%}
    {{ return(adapter.dispatch('type_text', 'license_utilization')()) }}
{%- endmacro %}

{% macro default__type_text() -%}
    {{ dbt.type_string() }}
{%- endmacro %}

{% macro postgres__type_text() -%}
    text
{%- endmacro %}

{% macro duckdb__type_text() -%}
    varchar
{%- endmacro %}
