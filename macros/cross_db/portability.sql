{#
    More engine differences, each behind one dispatch macro (issue #3).
    A `default__` version is the portable SQL; adapter versions exist only
    where an engine needs its own syntax. On Databricks, dbt looks for
    `databricks__`, then `spark__`, then `default__`, so the Spark versions
    serve Databricks too. Other warehouses add their `<adapter>__` version
    here (see docs/warehouses.md).
#}


{#
    Whole-number quotient of two non-negative integers, rounded down;
    null when the denominator is 0. (`/` on two integers truncates on
    Postgres, Snowflake and SQL Server, but returns a fraction on DuckDB,
    Spark and BigQuery; DuckDB's `//` and Postgres' div() are not
    portable either.)
#}
{% macro integer_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('integer_divide', 'license_utilization')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__integer_divide(numerator, denominator) -%}
    cast(floor(cast({{ numerator }} as {{ type_double() }}) / nullif({{ denominator }}, 0)) as bigint)
{%- endmacro %}

{% macro bigquery__integer_divide(numerator, denominator) -%}
    div({{ numerator }}, nullif({{ denominator }}, 0))
{%- endmacro %}


{#
    Booleans. Engines differ in their boolean aggregates (bool_or, every,
    logical_or, boolor_agg, max(bool) works on some only) and in casting
    booleans to numbers; these spell them with case expressions, which
    every engine reads the same way.
#}
{% macro bool_or_agg(condition) -%}
    {{ return(adapter.dispatch('bool_or_agg', 'license_utilization')(condition)) }}
{%- endmacro %}

{% macro default__bool_or_agg(condition) -%}
    (max(case when {{ condition }} then 1 else 0 end) = 1)
{%- endmacro %}

{% macro bool_and_agg(condition) -%}
    {{ return(adapter.dispatch('bool_and_agg', 'license_utilization')(condition)) }}
{%- endmacro %}

{% macro default__bool_and_agg(condition) -%}
    (min(case when {{ condition }} then 1 else 0 end) = 1)
{%- endmacro %}

{# Rows of a group where a condition holds (count_if / countif / filter). #}
{% macro count_where(condition) -%}
    {{ return(adapter.dispatch('count_where', 'license_utilization')(condition)) }}
{%- endmacro %}

{% macro default__count_where(condition) -%}
    sum(case when {{ condition }} then 1 else 0 end)
{%- endmacro %}

{# 1 for true, 0 for false, null for null. #}
{% macro bool_to_int(expression) -%}
    {{ return(adapter.dispatch('bool_to_int', 'license_utilization')(expression)) }}
{%- endmacro %}

{% macro default__bool_to_int(expression) -%}
    case when {{ expression }} then 1 when not ({{ expression }}) then 0 end
{%- endmacro %}


{#
    String aggregation: the values of a group joined by `separator`, in
    ascending order of the value (so every engine gives the same text).
#}
{% macro string_agg_ordered(expression, separator=', ') -%}
    {{ return(adapter.dispatch('string_agg_ordered', 'license_utilization')(expression, separator)) }}
{%- endmacro %}

{% macro default__string_agg_ordered(expression, separator) -%}
    string_agg({{ expression }}, '{{ separator }}' order by {{ expression }})
{%- endmacro %}

{% macro snowflake__string_agg_ordered(expression, separator) -%}
    listagg({{ expression }}, '{{ separator }}') within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__string_agg_ordered(expression, separator) -%}
    array_join(array_sort(collect_list({{ expression }})), '{{ separator }}')
{%- endmacro %}


{#
    A continuous percentile (fraction 0..1) of a numeric expression, as
    an aggregate; median() in aggregates.sql is the 0.5 case.
#}
{% macro percentile_cont_agg(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile_cont_agg', 'license_utilization')(expression, fraction)) }}
{%- endmacro %}

{% macro default__percentile_cont_agg(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__percentile_cont_agg(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro spark__percentile_cont_agg(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro bigquery__percentile_cont_agg(expression, fraction) -%}
    {{ exceptions.raise_compiler_error(
        "percentile_cont_agg: BigQuery has percentile_cont only as a window function; "
        ~ "write bigquery__percentile_cont_agg with approx_quantiles or a window (docs/warehouses.md)"
    ) }}
{%- endmacro %}


{#
    Whether this adapter runs dbt Python models. Use it in a model that
    reads a Python model and has a SQL twin for other engines:
        {% if python_models_enabled() %} ... {% endif %}
    Project configs cannot call macros, so dbt_project.yml repeats the
    list as `target.type == 'duckdb'` (extend both together).
#}
{% macro python_models_enabled() -%}
    {{ return(adapter.dispatch('python_models_enabled', 'license_utilization')()) }}
{%- endmacro %}

{% macro default__python_models_enabled() -%}
    {{ return(false) }}
{%- endmacro %}

{% macro duckdb__python_models_enabled() -%}
    {{ return(true) }}
{%- endmacro %}


{#
    A double rounded to `digits` decimal places, as a double. Postgres
    rounds numerics only, and a bare `numeric` / `decimal` type has no
    decimal places on Spark and Snowflake (decimal(10,0), number(38,0)):
    cast(x as numeric) would round every figure to a whole number there.
#}
{% macro round_double(expression, digits) -%}
    {{ return(adapter.dispatch('round_double', 'license_utilization')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_double(expression, digits) -%}
    cast(round(cast({{ expression }} as decimal(38, 12)), {{ digits }}) as {{ type_double() }})
{%- endmacro %}

{% macro duckdb__round_double(expression, digits) -%}
    round(cast({{ expression }} as double), {{ digits }})
{%- endmacro %}

{% macro spark__round_double(expression, digits) -%}
    round(cast({{ expression }} as double), {{ digits }})
{%- endmacro %}

{% macro bigquery__round_double(expression, digits) -%}
    round(cast({{ expression }} as float64), {{ digits }})
{%- endmacro %}


{#
    Least-squares slope of y over x, as an aggregate over the rows where
    both are not null (regr_slope on Postgres, DuckDB, Spark 3.4+ and
    Snowflake; BigQuery has no regr_* functions).
#}
{% macro regression_slope(y, x) -%}
    {{ return(adapter.dispatch('regression_slope', 'license_utilization')(y, x)) }}
{%- endmacro %}

{% macro default__regression_slope(y, x) -%}
    regr_slope({{ y }}, {{ x }})
{%- endmacro %}

{% macro bigquery__regression_slope(y, x) -%}
    (covar_pop({{ y }}, {{ x }}) / nullif(var_pop(case when {{ y }} is not null then {{ x }} end), 0))
{%- endmacro %}
