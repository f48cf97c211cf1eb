{#
    SQL (a select): events per user and day by the category of their event
    name under `rule` (login, feature_use, core_workflow; see
    event_category), from a relation of kept events (user_id, event_date,
    event_ts, event_name), optionally only from first_day (a date) on.
    Columns: user_id, activity_date, login_events, feature_events,
    core_workflow_events, event_count. With a plan (activity_recount_plan),
    only the events of its days.
#}
{% macro user_activity_daily_sql(rule, events_relation, plan=none) -%}
    {#- feature_use is every row that is neither a login nor a core workflow
        (event_category's else branch, a row without a name included): the
        rows less the other two. Two counts per user-day instead of four,
        and none for a category with no names (about 0.4 s of the 50M-event
        aggregate) #}
    select
        user_id,
        activity_date,
        login_events,
        event_count - login_events - core_workflow_events as feature_events,
        core_workflow_events,
        event_count
    from (
        select
            user_id,
            event_date as activity_date,
            {{ category_count('event_name', rule, 'login') }} as login_events,
            {{ category_count('event_name', rule, 'core_workflow') }} as core_workflow_events,
            count(*) as event_count
        from {{ events_relation }}
        {%- if plan is not none %}
        where {{ event_days_condition(plan, 'event_ts') }}
        {%- endif %}
        group by user_id, event_date
    ) as counted
{%- endmacro %}


{#
    SQL (a select): the kept events per key, counted as every raw row less
    the rows that are not kept. `raw_counts` counts every raw event row per
    key, `dropped_counts` the rows among them that are not kept (each one is
    a row of base_license__events_exceptions); both have the `keys` and the
    `measures` columns. No raw row is matched against the exceptions one by
    one: the few dropped rows are counted apart and subtracted.
    A key is kept when its `total` (one of the measures: every row) still
    has rows left. Keys in `nullable_keys` match null to null (text keys);
    every other key is never null in a kept row (a row without a user or a
    readable day is never kept).
#}
{% macro kept_event_counts(raw_counts, dropped_counts, keys, measures, total='event_count', nullable_keys=[]) -%}
    select
        {%- for key in keys %}
        {{ raw_counts }}.{{ key }},
        {%- endfor %}
        {%- for measure in measures %}
        {{ raw_counts }}.{{ measure }} - coalesce({{ dropped_counts }}.{{ measure }}, 0) as {{ measure }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ raw_counts }}
    left join {{ dropped_counts }}
        {%- for key in keys %}
        {%- if key in nullable_keys %}
        {{ 'on' if loop.first else '    and' }} coalesce({{ raw_counts }}.{{ key }}, '') = coalesce({{ dropped_counts }}.{{ key }}, '')
        {%- else %}
        {{ 'on' if loop.first else '    and' }} {{ raw_counts }}.{{ key }} = {{ dropped_counts }}.{{ key }}
        {%- endif %}
        {%- endfor %}
    where {{ raw_counts }}.{{ total }} > coalesce({{ dropped_counts }}.{{ total }}, 0)
        {%- for key in keys if key not in nullable_keys %}
        and {{ raw_counts }}.{{ key }} is not null
        {%- endfor %}
{%- endmacro %}


{#
    SQL: the number of rows whose event name falls in `category` under
    `rule`. A count of a case, not a sum: DuckDB sums integers into
    128-bit totals, and with four of them per user-day the aggregate of
    200M events did not fit a 4GB memory limit; counts keep 8 bytes.
    The login and core-workflow names are disjoint (active_rule checks),
    so those two categories are a plain test of the name, and 0 when
    the rule names none.
#}
{% macro category_count(event_name_column, rule, category) -%}
    {%- set names_key = {'login': 'login_event_names', 'core_workflow': 'core_workflow_event_names'}.get(category) -%}
    {%- if names_key is none -%}
        count(case when {{ event_category(event_name_column, rule) }} = '{{ category }}' then 1 end)
    {%- elif rule[names_key] | length == 0 -%}
        cast(0 as bigint)
    {%- else -%}
        count(case when {{ event_name_column }} in {{ sql_name_list(rule[names_key]) }} then 1 end)
    {%- endif -%}
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
    The days an incremental run of int_user_activity_daily (`relation`,
    with columns activity_date, category_signature and counted_at) must
    recount, as a plan for event_days_condition: the days whose raw event
    count changed after its latest count (base_license__event_days), the
    days of event rows decided again since (base_license__events_exceptions:
    a row's outcome may have changed without its day's count changing, e.g.
    a user who arrived late, or the other copy of a repeated id taken
    away), and the last var event_lookback_days days before its latest day.
    None when every day must be counted: not incremental, an empty table,
    or rows counted under other event-name lists than `signature`.
#}
{% macro activity_recount_plan(relation, signature) -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set carried = carried_plan('activity_recount') -%}
    {%- if carried['found'] -%}
        {{ return(carried['plan']) }}
    {%- endif -%}
    {%- set column_names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- if 'category_signature' not in column_names or 'counted_at' not in column_names -%}
        {#- a table from before the columns existed: count everything (dbt then
            stops on the schema change, on_schema_change='fail', and says so) #}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query(
        'select max(activity_date) as latest_day, max(counted_at) as last_counted, '
        ~ 'count(distinct category_signature) as signatures, '
        ~ "max(case when category_signature = '" ~ signature | replace("'", "''") ~ "' then 1 else 0 end) as same"
        ~ ' from ' ~ relation
    ).rows[0] -%}
    {%- if found['latest_day'] is none or found['signatures'] != 1 or found['same'] != 1 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(kept_event_days_changed_since(found['last_counted'], found['latest_day'])) }}
{%- endmacro %}


{#
    The days whose kept events may have changed since `last_counted` (a
    timestamp: a table's latest count), as a plan for event_days_condition:
    the days whose raw event count or files changed after it
    (base_license__event_days), the days of event rows decided again since
    (base_license__events_exceptions: a row's outcome may change without
    its day's count changing, e.g. a user who arrived late, or the other
    copy of a repeated id taken away), and the last var event_lookback_days
    days up to `latest_day` (a date: the table's latest day) and after it.
    What the incremental tables counted from the events recount.
#}
{% macro kept_event_days_changed_since(last_counted, latest_day) -%}
    {%- set since = "cast('" ~ last_counted ~ "' as timestamp)" -%}
    {%- set first_day = modules.datetime.date.fromisoformat(latest_day | string)
        - modules.datetime.timedelta(days=var('event_lookback_days', 3) | int) -%}
    {%- set days = run_query(
        'select day_key from ' ~ ref('base_license__event_days')
        ~ ' where changed_at > ' ~ since ~ " and day_key <> 'unreadable'"
        ~ ' union select ' ~ event_day_key('cast(event_ts as date)') ~ ' from ' ~ ref('base_license__events_exceptions')
        ~ ' where decided_at > ' ~ since ~ ' and event_ts is not null'
        ~ ' union select ' ~ event_day_key('event_date') ~ ' from ' ~ ref('base_license__event_days')
        ~ " where event_date >= cast('" ~ first_day.isoformat() ~ "' as date)"
    ) -%}
    {{ return({'day_keys': days.columns[0].values() | map('string') | sort | list, 'future_from': none}) }}
{%- endmacro %}


{#
    The days an incremental run of int_user_feature_days (`relation`)
    recounts, as a plan for event_days_condition: the days whose kept
    events may have changed since its latest count
    (kept_event_days_changed_since, from its latest window_end on), with
    the window's first_day and as_of (dates) it counts. None when every
    day of the window must be counted: not incremental, an empty table,
    an as_of_date not known at compile time, or a window that starts
    before the stored one (a longer stickiness_window_days, an earlier
    as_of_date): those days were never counted. `as_of`: the model's
    known_as_of_date, looked up when not given.
#}
{% macro feature_days_recount_plan(relation, as_of=none) -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set carried = carried_plan('feature_days', date_keys=['first_day', 'as_of']) -%}
    {%- if carried['found'] -%}
        {{ return(carried['plan']) }}
    {%- endif -%}
    {%- set as_of = known_as_of_date() if as_of is none else as_of -%}
    {%- set first_day = stickiness_first_day(as_of) -%}
    {%- if first_day is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query(
        'select max(window_start) as window_start, max(window_end) as window_end, '
        ~ 'max(counted_at) as last_counted from ' ~ relation
    ).rows[0] -%}
    {%- if found['window_start'] is none
        or first_day < modules.datetime.date.fromisoformat(found['window_start'] | string) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set plan = kept_event_days_changed_since(found['last_counted'], found['window_end']) -%}
    {%- do plan.update({'first_day': first_day, 'as_of': as_of}) -%}
    {{ return(plan) }}
{%- endmacro %}


{#
    SQL: the rows of int_user_feature_days (`target_relation`) that an
    incremental run replaces (strategy replace_stale): those of the days
    of its plan and those outside the window; every row when it counts
    everything.
#}
{% macro user_feature_days_stale_rows(target_relation, batch_relation) -%}
    {%- set plan = feature_days_recount_plan(target_relation) -%}
    {%- if plan is none -%}
        1 = 1
    {%- else -%}
        {{ event_days_condition(plan, 'activity_date', data_type='date') }}
        or activity_date < cast('{{ plan['first_day'].isoformat() }}' as date)
        or activity_date > cast('{{ plan['as_of'].isoformat() }}' as date)
    {%- endif -%}
{%- endmacro %}


{#
    The first day of the stickiness window (the last var
    stickiness_window_days days up to as_of_date), when as_of_date is
    known at compile time (known_as_of_date; `as_of`, when given); else
    none.
#}
{% macro stickiness_first_day(as_of=none) -%}
    {%- set as_of = known_as_of_date() if as_of is none else as_of -%}
    {{ return(none if as_of is none
        else as_of - modules.datetime.timedelta(days=(var('stickiness_window_days', 30) | int) - 1)) }}
{%- endmacro %}


{#
    SQL: the rows of int_user_activity_daily (`target_relation`) that an
    incremental run recounts (strategy replace_stale): those of the days
    of its plan, or every row when it counts everything. A recounted day
    without kept events any more loses its rows.
#}
{% macro user_activity_stale_rows(target_relation, batch_relation) -%}
    {%- set plan = activity_recount_plan(target_relation, event_categories_signature(active_rule())) -%}
    {%- if plan is none -%}
        1 = 1
    {%- else -%}
        {{ event_days_condition(plan, 'activity_date', data_type='date') }}
    {%- endif -%}
{%- endmacro %}


{#
    SQL (one statement, run by replace_stale before its delete): record in
    int_user_activity_removals the stored rows of int_user_activity_daily
    (`target_relation`) that the recount replaces (`stale_rows`, a
    condition on them) and the batch (`batch_relation`) has no row for:
    user-days whose kept events are all gone. Their users get no new
    counted_at, so the intervals models find them here.
#}
{% macro user_activity_removed_rows(target_relation, batch_relation, stale_rows) -%}
    insert into {{ ref('int_user_activity_removals') }} (user_id, activity_date, removed_at)
    select
        removed.user_id,
        removed.activity_date,
        {{ run_started_timestamp() }}
    from {{ target_relation }} as removed
    where ({{ stale_rows }})
        and not exists (
            select 1 from {{ batch_relation }} as batch
            where batch.user_id = removed.user_id
                and batch.activity_date = removed.activity_date
        )
{%- endmacro %}


{#
    SQL for int_user_activity_daily's post-hook: when the run built the
    activity in full (its carried plan is none: first build,
    --full-refresh, other event-name vars), a marker row in
    int_user_activity_removals: what the activity held before is unknown,
    so the intervals models compute every user once. Nothing otherwise.
#}
{% macro record_user_activity_rebuild() -%}
    {%- set carried = carried_plan('activity_recount') -%}
    {%- if not carried['found'] or carried['plan'] is none -%}
        insert into {{ ref('int_user_activity_removals') }} (user_id, activity_date, removed_at)
        select cast(null as {{ type_text() }}), cast(null as date), {{ run_started_timestamp() }}
    {%- endif -%}
{%- endmacro %}
