{#
    The as_of_date of this build as a date, when it is known while a model
    compiles: var as_of_date, or the one row of int_reporting_period (dbt
    builds it before any model that refs it, and compiles a model just
    before running it). None otherwise (e.g. `dbt compile` on an empty
    warehouse).

    Models use it to add a literal date bound next to their exact filter:
    a literal bound on event_ts reaches the raw files' row-group
    statistics, so only the days a model needs are read.
#}
{% macro known_as_of_date() -%}
    {%- if var('as_of_date', none) -%}
        {{ return(modules.datetime.date.fromisoformat(var('as_of_date') | string)) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set relation = load_relation(ref('int_reporting_period')) -%}
    {%- if relation is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set values = run_query('select as_of_date from ' ~ relation).columns[0].values() -%}
    {%- if values | length == 0 or values[0] is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(modules.datetime.date.fromisoformat(values[0] | string)) }}
{%- endmacro %}


{#
    SQL: a predicate on the timestamp `column` that keeps the days
    first_day .. last_day (dates), written with literals; `true` when
    first_day is none.
#}
{% macro timestamp_between_days(column, first_day, last_day) -%}
    {%- if first_day is none -%}
        true
    {%- else -%}
        {{ column }} >= cast('{{ first_day.isoformat() }}' as timestamp)
        and {{ column }} < cast('{{ (last_day + modules.datetime.timedelta(days=1)).isoformat() }}' as timestamp)
    {%- endif -%}
{%- endmacro %}
