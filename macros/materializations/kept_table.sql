{#
    Materialization kept_table: a table that a run leaves as it is when
    its model compiled as unchanged (rebuilt_on_change or
    kept_while_columns_match, in macros/rules/unchanged_tables.sql, write
    kept_table_marker into the SQL), and
    otherwise builds as the adapter's own `table` materialization does
    (create, then swap). No temporary copy and no delete: a rebuild costs
    what a table costs, and a kept table only the lookups of its plan
    (its result reads KEPT, where a build reads OK).
#}
{% materialization kept_table, default %}
    {%- set existing = load_relation(this) -%}
    {%- if existing is not none and existing.is_table and kept_table_marker() in sql -%}
        {{ run_hooks(pre_hooks) }}
        {#- no statement to run: the result says KEPT, which dbt prints in
            the run's log line and run_results.json (adapter_response) #}
        {%- do store_raw_result('main', message='KEPT', code='KEPT', rows_affected=0) -%}
        {{ run_hooks(post_hooks) }}
        {{ return({'relations': [existing]}) }}
    {%- endif -%}
    {%- set table_materialization = context.get('materialization_table_' ~ adapter.type())
        or context.get('materialization_table_default') -%}
    {{ return(table_materialization()) }}
{% endmaterialization %}
