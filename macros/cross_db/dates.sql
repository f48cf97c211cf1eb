{#
    Date helpers that return a DATE on every engine.
    `dbt.date_trunc` returns a timestamp on DuckDB and Postgres.
#}
{% macro month_start(date_expression) -%}
    {{ return(adapter.dispatch('month_start', 'license_utilization')(date_expression)) }}
{%- endmacro %}

{% macro default__month_start(date_expression) -%}
    cast({{ dbt.date_trunc('month', date_expression) }} as date)
{%- endmacro %}

{% macro spark__month_start(date_expression) -%}
    trunc({{ date_expression }}, 'MM')
{%- endmacro %}


{# Monday of the ISO week of a date, as a date. #}
{% macro week_start(date_expression) -%}
    {{ return(adapter.dispatch('week_start', 'license_utilization')(date_expression)) }}
{%- endmacro %}

{% macro default__week_start(date_expression) -%}
    cast({{ dbt.date_trunc('week', date_expression) }} as date)
{%- endmacro %}

{% macro spark__week_start(date_expression) -%}
    trunc({{ date_expression }}, 'week')
{%- endmacro %}


{# date_expression + days (an integer expression), as a date. #}
{% macro add_days(date_expression, days) -%}
    {{ return(adapter.dispatch('add_days', 'license_utilization')(date_expression, days)) }}
{%- endmacro %}

{% macro default__add_days(date_expression, days) -%}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
{%- endmacro %}

{% macro duckdb__add_days(date_expression, days) -%}
    cast({{ date_expression }} + cast({{ days }} as integer) as date)
{%- endmacro %}

{% macro postgres__add_days(date_expression, days) -%}
    cast({{ date_expression }} + cast({{ days }} as integer) as date)
{%- endmacro %}

{% macro spark__add_days(date_expression, days) -%}
    date_add({{ date_expression }}, cast({{ days }} as int))
{%- endmacro %}


{# Whole days from start_date to end_date (end - start). #}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'license_utilization')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    {{ dbt.datediff(start_date, end_date, 'day') }}
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date) -%}
    cast({{ end_date }} - {{ start_date }} as integer)
{%- endmacro %}

{% macro postgres__days_between(start_date, end_date) -%}
    ({{ end_date }} - {{ start_date }})
{%- endmacro %}


{# A literal date from a 'YYYY-MM-DD' string. #}
{% macro date_literal(value) -%}
    cast('{{ value }}' as date)
{%- endmacro %}


{#
    A from-clause item yielding one row per day, column `date_day`,
    for each row of `bounds_relation` between its `start_column` and
    `end_column` (inclusive). Used once, by int_date_spine.
#}
{% macro day_series(bounds_relation, start_column, end_column) -%}
    {{ return(adapter.dispatch('day_series', 'license_utilization')(bounds_relation, start_column, end_column)) }}
{%- endmacro %}

{% macro default__day_series(bounds_relation, start_column, end_column) -%}
    {#- Portable fallback: 0..99999 from digit cross joins (273 years). -#}
    (
        select {{ add_days('bounds.' ~ start_column, 'numbers.n') }} as date_day
        from {{ bounds_relation }} as bounds
        inner join (
            select d0.n + 10 * d1.n + 100 * d2.n + 1000 * d3.n + 10000 * d4.n as n
            from (select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d0
            cross join (select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d1
            cross join (select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d2
            cross join (select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d3
            cross join (select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d4
        ) as numbers
            on numbers.n <= {{ days_between('bounds.' ~ start_column, 'bounds.' ~ end_column) }}
    )
{%- endmacro %}

{% macro duckdb__day_series(bounds_relation, start_column, end_column) -%}
    (
        select cast(series.date_day as date) as date_day
        from {{ bounds_relation }} as bounds,
            generate_series(
                cast(bounds.{{ start_column }} as timestamp),
                cast(bounds.{{ end_column }} as timestamp),
                interval 1 day
            ) as series (date_day)
    )
{%- endmacro %}

{% macro postgres__day_series(bounds_relation, start_column, end_column) -%}
    (
        select cast(series.date_day as date) as date_day
        from {{ bounds_relation }} as bounds
        cross join lateral generate_series(
            cast(bounds.{{ start_column }} as timestamp),
            cast(bounds.{{ end_column }} as timestamp),
            interval '1 day'
        ) as series (date_day)
    )
{%- endmacro %}

{% macro spark__day_series(bounds_relation, start_column, end_column) -%}
    (
        select explode(sequence(bounds.{{ start_column }}, bounds.{{ end_column }}, interval 1 day)) as date_day
        from {{ bounds_relation }} as bounds
    )
{%- endmacro %}
