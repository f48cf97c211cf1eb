{#
    The builds of the account x day models (macros/rules/account_days.sql):
    one row per model and build, written by the model's post-hook: how it
    was built (in full, from a day on, or left unchanged), and the
    as_of_date and the inputs' signature (int_account_day_inputs) it was
    built with. An incremental run of such a model reads its latest row to
    know which days it must compute again. This model only creates the
    table (it adds no rows itself), and a run keeps it as it is (a
    kept_table, kept_while_columns_match); a --full-refresh empties it, so
    that every account x day model is computed in full next.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'kept_table',
) }}
{%- set columns = ['model_name', 'built_at', 'build_kind', 'rebuilt_from', 'as_of_date', 'inputs_signature'] %}

with

final as (

    select
        cast(null as {{ type_text() }}) as model_name,
        cast(null as timestamp) as built_at,
        cast(null as {{ type_text() }}) as build_kind,
        cast(null as date) as rebuilt_from,
        cast(null as date) as as_of_date,
        cast(null as {{ type_text() }}) as inputs_signature

)

select * from final
where 1 = 0 {{ kept_while_columns_match(columns) }}
