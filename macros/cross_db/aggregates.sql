{# The median of a numeric expression, as an aggregate. #}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'license_utilization')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}

{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}

{% macro bigquery__median(expression) -%}
    {{ exceptions.raise_compiler_error("median: use approx_quantiles on BigQuery (not yet written)") }}
{%- endmacro %}


{#
    A number rounded to `digits` places, as text, for human-readable
    reasons ("utilization 41.3% ..."). Postgres rounds numerics only.
#}
{% macro format_number(expression, digits=1) -%}
    {{ return(adapter.dispatch('format_number', 'license_utilization')(expression, digits)) }}
{%- endmacro %}

{% macro default__format_number(expression, digits=1) -%}
    {#- a bare numeric has no decimal places on Snowflake: give it some #}
    cast(round(cast({{ expression }} as decimal(18, {{ digits }})), {{ digits }}) as {{ type_text() }})
{%- endmacro %}

{% macro duckdb__format_number(expression, digits=1) -%}
    cast(round(cast({{ expression }} as decimal(18, {{ digits }})), {{ digits }}) as varchar)
{%- endmacro %}

{% macro spark__format_number(expression, digits=1) -%}
    cast(round(cast({{ expression }} as decimal(18, {{ digits }})), {{ digits }}) as string)
{%- endmacro %}
