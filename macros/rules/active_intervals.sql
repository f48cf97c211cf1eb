{#
    SQL (a complete select) for the intervals on which each eligible user
    is active under `rule` (see active_rule()). Columns: user_id,
    account_id, department, role, active_from, active_to (both inclusive).

    How: a user's window count on day d is the sum of their events on
    d-(N-1)..d. It can only change on a day with events (it rises) or N
    days after one (it falls). So each activity day becomes two change
    points (+count on the day, -count N days later); a running sum over a
    user's change points gives the window count between consecutive change
    points; the rule is evaluated once per such segment; consecutive
    active segments are merged into intervals (one ordered pass: change
    points are unique per user, so there are no ties to break); and the
    intervals are clipped to the user's eligibility and to as_of_date.
    Cost grows with activity days, not users x days.
#}
{% macro active_intervals_sql(rule, event_counts_relation, eligibility_relation, reporting_period_relation) -%}
    {%- set window_days = rule['active_window_days'] -%}
    {%- set used = [] -%}
    {%- if rule['active_min_logins'] > 0 -%}{%- do used.append('login_events') -%}{%- endif -%}
    {%- if rule['active_min_feature_events'] > 0 -%}{%- do used.append('feature_events') -%}{%- endif -%}
    {%- if rule['active_min_core_workflow_events'] > 0 -%}{%- do used.append('core_workflow_events') -%}{%- endif -%}
    with

    event_counts as (

        select
            user_id,
            activity_date,
            event_count,
            {{ event_category('event_name', rule) }} as event_category
        from {{ event_counts_relation }}

    ),

    user_day_counts as (

        select
            user_id,
            activity_date,
            sum(case when event_category = 'login' then event_count else 0 end) as login_events,
            sum(case when event_category = 'feature_use' then event_count else 0 end) as feature_events,
            sum(case when event_category = 'core_workflow' then event_count else 0 end) as core_workflow_events
        from event_counts
        group by user_id, activity_date

    ),

    relevant_days as (

        {#- days whose events can move a condition of this rule #}
        select *
        from user_day_counts
        where {% for column in used %}{{ column }} > 0{% if not loop.last %} or {% endif %}{% endfor %}

    ),

    window_deltas as (

        select
            user_id,
            activity_date as change_date,
            login_events as login_delta,
            feature_events as feature_delta,
            core_workflow_events as core_workflow_delta
        from relevant_days

        union all

        select
            user_id,
            {{ add_days('activity_date', window_days) }} as change_date,
            -login_events as login_delta,
            -feature_events as feature_delta,
            -core_workflow_events as core_workflow_delta
        from relevant_days

    ),

    change_points as (

        select
            user_id,
            change_date,
            sum(login_delta) as login_delta,
            sum(feature_delta) as feature_delta,
            sum(core_workflow_delta) as core_workflow_delta
        from window_deltas
        group by user_id, change_date

    ),

    window_totals as (

        select
            user_id,
            change_date,
            lead(change_date) over (partition by user_id order by change_date) as next_change_date,
            sum(login_delta) over (
                partition by user_id order by change_date rows between unbounded preceding and current row
            ) as window_logins,
            sum(feature_delta) over (
                partition by user_id order by change_date rows between unbounded preceding and current row
            ) as window_feature_events,
            sum(core_workflow_delta) over (
                partition by user_id order by change_date rows between unbounded preceding and current row
            ) as window_core_workflow_events
        from change_points

    ),

    segments as (

        select
            user_id,
            change_date,
            next_change_date,
            case
                when {{ active_condition(rule, 'window_logins', 'window_feature_events', 'window_core_workflow_events') }}
                    then 1
                else 0
            end as is_active
        from window_totals

    ),

    segments_flagged as (

        select
            user_id,
            change_date,
            next_change_date,
            is_active,
            case
                when is_active = 1
                    and coalesce(lag(is_active) over (partition by user_id order by change_date), 0) = 0
                    then 1
                else 0
            end as starts_interval
        from segments

    ),

    segments_numbered as (

        select
            user_id,
            change_date,
            next_change_date,
            is_active,
            sum(starts_interval) over (
                partition by user_id order by change_date rows between unbounded preceding and current row
            ) as interval_number
        from segments_flagged

    ),

    merged_intervals as (

        {#- the last change point of a user always has empty windows, so an
            active segment always has a next change point #}
        select
            user_id,
            min(change_date) as active_from,
            {{ add_days('max(next_change_date)', -1) }} as active_to
        from segments_numbered
        where is_active = 1
        group by user_id, interval_number

    ),

    eligible_intervals as (

        select
            eligibility.user_id,
            eligibility.account_id,
            eligibility.department,
            eligibility.role,
            case
                when merged_intervals.active_from > eligibility.eligible_from
                    then merged_intervals.active_from
                else eligibility.eligible_from
            end as active_from,
            case
                when eligibility.eligible_to is not null
                    and eligibility.eligible_to < merged_intervals.active_to
                    then eligibility.eligible_to
                else merged_intervals.active_to
            end as active_to,
            reporting_period.as_of_date
        from merged_intervals
        inner join {{ eligibility_relation }} as eligibility
            on merged_intervals.user_id = eligibility.user_id
        cross join {{ reporting_period_relation }} as reporting_period

    )

    select
        user_id,
        account_id,
        department,
        role,
        active_from,
        case when active_to > as_of_date then as_of_date else active_to end as active_to
    from eligible_intervals
    where active_from <= active_to
        and active_from <= as_of_date
{%- endmacro %}


{#
    The active rules to evaluate side by side: [(name, rule)], the
    configured rule first as `default`, then each key of var
    active_definitions (sorted), validated by active_rule().
#}
{% macro active_definitions_list() -%}
    {%- set definitions = [('default', active_rule())] -%}
    {%- set configured = var('active_definitions', {}) or {} -%}
    {%- for name in configured.keys() | sort -%}
        {%- if name == 'default' -%}
            {{ exceptions.raise_compiler_error(
                "var active_definitions: the name 'default' is reserved for the configured rule"
            ) }}
        {%- endif -%}
        {%- if not (name | string).replace('_', '').isalnum() -%}
            {{ exceptions.raise_compiler_error(
                "var active_definitions: name '" ~ name ~ "' must be letters, digits and underscores"
            ) }}
        {%- endif -%}
        {%- do definitions.append((name, active_rule(configured[name], 'active_definitions.' ~ name))) -%}
    {%- endfor -%}
    {{ return(definitions) }}
{%- endmacro %}


{#
    SQL: the activity intervals of every definition, stacked:
    definition_name, account_id, active_from, active_to. The `default`
    definition reads default_intervals_relation when given (already built).
#}
{% macro active_intervals_by_definition(definitions, event_counts_relation, eligibility_relation, reporting_period_relation, default_intervals_relation=none) -%}
    {%- for name, rule in definitions %}
    select
        '{{ name }}' as definition_name,
        intervals.account_id,
        intervals.active_from,
        intervals.active_to
    from
    {%- if name == 'default' and default_intervals_relation is not none %}
        {#- the configured rule is already computed: reuse it #}
        {{ default_intervals_relation }} as intervals
    {%- else %} (
        {{ active_intervals_sql(rule, event_counts_relation, eligibility_relation, reporting_period_relation) }}
    ) as intervals
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}


{# SQL: one row per definition: definition_name, definition_rule (in words). #}
{% macro definitions_table(definitions) -%}
    {%- for name, rule in definitions %}
    select
        '{{ name }}' as definition_name,
        '{{ rule_summary(rule) }}' as definition_rule
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
