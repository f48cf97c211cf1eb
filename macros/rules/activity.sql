{#
    SQL (a select): events per user and day by the category of their event
    name under `rule` (login, feature_use, core_workflow; see
    event_category), from a relation of kept events (user_id, event_date,
    event_ts, event_name), optionally only from first_day (a date) on.
    Columns: user_id, activity_date, login_events, feature_events,
    core_workflow_events, event_count.
#}
{% macro user_activity_daily_sql(rule, events_relation, first_day=none) -%}
    select
        user_id,
        event_date as activity_date,
        {{ category_count('event_name', rule, 'login') }} as login_events,
        {{ category_count('event_name', rule, 'feature_use') }} as feature_events,
        {{ category_count('event_name', rule, 'core_workflow') }} as core_workflow_events,
        count(*) as event_count
    from {{ events_relation }}
    {%- if first_day is not none %}
    where event_ts >= cast('{{ first_day.isoformat() }}' as timestamp)
    {%- endif %}
    group by user_id, event_date
{%- endmacro %}


{#
    SQL: the number of rows whose event name falls in `category` under
    `rule`. A count of a case, not a sum: DuckDB sums integers into
    128-bit totals, and with four of them per user-day the aggregate of
    200M events did not fit a 4GB memory limit; counts keep 8 bytes.
#}
{% macro category_count(event_name_column, rule, category) -%}
    count(case when {{ event_category(event_name_column, rule) }} = '{{ category }}' then 1 end)
{%- endmacro %}


{#
    The event-name lists of a rule in words: what int_user_activity_daily's
    category columns depend on. Stored with every row, so an incremental
    run notices when the lists changed and recounts every day.
#}
{% macro event_categories_signature(rule) -%}
    {{ return(
        'login=' ~ rule['login_event_names'] | sort | join(',')
        ~ ';core_workflow=' ~ rule['core_workflow_event_names'] | sort | join(',')
    ) }}
{%- endmacro %}


{#
    The first day an incremental run of `relation` (with columns
    activity_date and category_signature) must recount, as a date: var
    event_lookback_days before its latest day. None when everything must
    be counted: not incremental, an empty table, or rows counted under
    other event-name lists than `signature`.
#}
{% macro incremental_first_day(relation, signature) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set column_names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- if 'category_signature' not in column_names -%}
        {#- a table from before the column existed: count everything (dbt then
            stops on the schema change, on_schema_change='fail', and says so) #}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query(
        'select max(activity_date) as latest_day, count(distinct category_signature) as signatures, '
        ~ "max(case when category_signature = '" ~ signature | replace("'", "''") ~ "' then 1 else 0 end) as same"
        ~ ' from ' ~ relation
    ).rows[0] -%}
    {%- if found['latest_day'] is none or found['signatures'] != 1 or found['same'] != 1 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(
        modules.datetime.date.fromisoformat(found['latest_day'] | string)
        - modules.datetime.timedelta(days=var('event_lookback_days', 3) | int)
    ) }}
{%- endmacro %}
