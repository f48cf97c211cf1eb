{#
    The intervals on which each user is active, by definition of "active"
    (the configured rule, `default`, and every variant of var
    active_definitions with the configured event-name lists), before
    eligibility and as_of_date: what int_user_active_intervals and
    fct_utilization_by_definition clip to the licensed users. Grain:
    definition_name x user_id x active_from.

    Incremental (strategy replace_stale): a run after the first computes
    the intervals only from the first day whose activity may have changed
    (from_day: the earliest day int_user_activity_daily recounted, or
    whose raw events changed, since the latest computation), from the
    activity of from_day-(N-1) on; a stored interval that reaches the day
    before is cut there and joined to a new one that starts on from_day,
    so the intervals are those a full computation gives. Everything is
    computed again when the definitions differ from the stored ones
    (definition_signature).
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='replace_stale',
    stale_rows_macro='activity_intervals_stale_rows',
    on_schema_change='fail',
) }}
-- depends_on: {{ ref('base_license__event_days') }}
{%- set definitions = stored_interval_definitions() %}
{%- set plan = activity_intervals_plan(this, definitions) %}
{%- set from_day = plan['from_day'] if plan is not none else none %}

with

{% for name, rule, signature in definitions %}
    intervals_{{ name }} as (

        {{ activity_intervals_sql(rule, ref('int_user_activity_daily'), from_day) | indent(8) }}

    ),

{% endfor %}

computed as (

    {%- for name, rule, signature in definitions %}
        select
            '{{ name }}' as definition_name,
            user_id,
            active_from,
            active_to
        from intervals_{{ name }}
        {%- if plan is not none and from_day is none %}
            {#- nothing changed since the latest computation #}
            where 1 = 0
        {%- endif %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

{% if from_day is not none %}
    stored_prefix as (

        {#- the stored intervals that reach the day before from_day, cut there #}
        select
            definition_name,
            user_id,
            active_from,
            case
                when active_to > cast('{{ (from_day - modules.datetime.timedelta(days=1)).isoformat() }}' as date)
                    then cast('{{ (from_day - modules.datetime.timedelta(days=1)).isoformat() }}' as date)
                else active_to
            end as active_to
        from {{ this }}
        where active_to >= cast('{{ (from_day - modules.datetime.timedelta(days=1)).isoformat() }}' as date)
            and active_from < cast('{{ from_day.isoformat() }}' as date)

    ),

    joined_at_from_day as (

        {#- a cut interval and a new one starting on from_day are one interval #}
        select
            stored_prefix.definition_name,
            stored_prefix.user_id,
            stored_prefix.active_from,
            computed.active_to
        from stored_prefix
        inner join computed
            on stored_prefix.definition_name = computed.definition_name
                and stored_prefix.user_id = computed.user_id
                and computed.active_from = cast('{{ from_day.isoformat() }}' as date)
        where stored_prefix.active_to = cast('{{ (from_day - modules.datetime.timedelta(days=1)).isoformat() }}' as date)

    ),

    intervals as (

        select * from joined_at_from_day
        union all
        select stored_prefix.*
        from stored_prefix
        left join joined_at_from_day
            on stored_prefix.definition_name = joined_at_from_day.definition_name
                and stored_prefix.user_id = joined_at_from_day.user_id
                and stored_prefix.active_from = joined_at_from_day.active_from
        where joined_at_from_day.user_id is null
        union all
        select computed.*
        from computed
        left join joined_at_from_day
            on computed.definition_name = joined_at_from_day.definition_name
                and computed.user_id = joined_at_from_day.user_id
                and computed.active_from = cast('{{ from_day.isoformat() }}' as date)
        where joined_at_from_day.user_id is null

    ),
{% else %}
    intervals as (

        select * from computed

    ),
{% endif %}

final as (

    select
        intervals.definition_name,
        intervals.user_id,
        intervals.active_from,
        intervals.active_to,
        case
            {%- for name, rule, signature in definitions %}
                when intervals.definition_name = '{{ name }}' then '{{ signature | replace("'", "''") }}'
            {%- endfor %}
        end as definition_signature,
        {{ run_started_timestamp() }} as computed_at
    from intervals

)

select * from final
