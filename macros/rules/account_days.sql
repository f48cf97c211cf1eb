{#
    Incremental account x day models (int_account_seats_daily,
    int_account_users_daily, fct_license_utilization_daily and the
    monthly, department, role and definition marts read from it): a run
    after the first computes only the days a change can reach, and
    replaces those rows.

    What a day's figures depend on, and what tells a run it changed:
    - the users' activity: int_user_activity_daily and
      base_license__event_days record when each day was last counted; a
      change on day d reaches the intervals only from d on (the intervals
      models are themselves recomputed from that day);
    - as_of_date: the intervals and the seat terms are cut at it, so moving
      it from A to A' reaches only the days after min(A, A');
    - everything else (the licensed users, the subscriptions and seat
      changes, the settings): int_account_day_inputs signs it; a model
      whose last build saw another signature is computed in full;
    - the other account x day models (a model reads some of them): the
      first day any of them computed again since this model's last build.
    Each model records its builds in int_account_day_builds (a post-hook),
    so that a model that failed or was not selected in a run catches up
    from its own last build, not from the run's.
#}


{#
    The settings (every var the project declares, dbt_project.yml, but
    where the raw tables are) as one text, for int_account_day_inputs: a
    change of any of them computes the account x day models in full.
    Generous on purpose: a var that cannot change these figures only costs
    one full computation when it changes. tests/python/test_account_days.py
    checks that the two lists name every declared var.
#}
{% macro account_days_settings() -%}
    {#- where the raw tables are, and how a changed day is found, are left
        out: what they hold is compared instead (the day counts and
        signatures, the users, the subscriptions; switching
        event_day_checksum changes every day's signature, so the days are
        counted again anyway) #}
    {%- set not_signed = ['raw_path', 'raw_database', 'raw_schema', 'event_day_checksum'] -%}
    {%- set names = [
        'active_window_days', 'active_min_logins', 'active_min_feature_events',
        'active_min_core_workflow_events', 'active_rule_match', 'login_event_names',
        'core_workflow_event_names', 'as_of_date', 'strong_utilization_pct',
        'at_risk_utilization_pct', 'size_bands', 'min_cohort_size_for_percentile',
        'milestone_days', 'pre_renewal_days', 'trend_weeks', 'trend_min_weeks',
        'decline_pts_per_week', 'forecast_max_weeks', 'stickiness_window_days',
        'expansion_min_stickiness', 'sharp_drop_share', 'sharp_drop_window_days',
        'sharp_drop_min_pts', 'onboarding_lookback_days', 'active_definitions',
        'event_lookback_days', 'future_event_tolerance_hours', 'quarantine_error_rules',
        'quarantine_error_share', 'qbr_account_id', 'spine_min_date',
    ] -%}
    {%- set pairs = [] -%}
    {%- for name in names -%}
        {%- do pairs.append(name ~ '=' ~ (var(name, none) | tojson)) -%}
    {%- endfor -%}
    {{ return(pairs | join('; ')) }}
{%- endmacro %}


{#
    The plan of an incremental run of an account x day model (this),
    looked up when the model compiles: none when every row is computed
    (first run, --full-refresh, no recorded build of this model, other
    inputs or settings than at its last build, no as_of_date, or another
    account x day model computed in full since); else a dict whose
    from_day is the first day whose figures may have changed since the
    model's last build (none when nothing changed): the earliest of the
    first day whose activity was counted since, the day after the earlier
    as_of_date when it moved, and the first day another account x day
    model computed again since (this model reads some of them: a model
    built while an upstream one was not, in a --select or after a failure,
    catches up when the upstream one is built).
#}
{% macro account_days_plan() -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set carried = carried_plan('account_days', date_keys=['from_day']) -%}
    {%- if carried['found'] -%}
        {{ return(carried['plan']) }}
    {%- endif -%}
    {%- set builds = load_relation(ref('int_account_day_builds')) -%}
    {%- set inputs = load_relation(ref('int_account_day_inputs')) -%}
    {%- if builds is none or inputs is none -%}
        {{ return(none) }}
    {%- endif -%}
    {#- one query: the current inputs, this model's last build, and the
        builds of the other models since (a null built_at: none yet) #}
    {%- set name = "'" ~ account_days_model_name() ~ "'" -%}
    {%- set found = run_query(
        'with last_build as (select as_of_date, inputs_signature, built_at from ' ~ builds
        ~ ' where model_name = ' ~ name ~ ' order by built_at desc limit 1), '
        ~ "later_builds as (select max(case when build_kind = 'full' then 1 else 0 end) as any_full, "
        ~ 'min(rebuilt_from) as first_day from ' ~ builds
        ~ ' where built_at > (select built_at from last_build) and model_name <> ' ~ name ~ ') '
        ~ 'select (select count(*) from ' ~ inputs ~ ') as current_rows, '
        ~ '(select min(as_of_date) from ' ~ inputs ~ ') as as_of_now, '
        ~ '(select min(inputs_signature) from ' ~ inputs ~ ') as signature_now, '
        ~ 'last_build.as_of_date as as_of_then, last_build.inputs_signature as signature_then, '
        ~ 'last_build.built_at, later_builds.any_full, later_builds.first_day '
        ~ 'from later_builds left join last_build on 1 = 1'
    ).rows[0] -%}
    {%- if found['current_rows'] != 1 or found['built_at'] is none
        or found['as_of_now'] is none or found['as_of_then'] is none
        or (found['signature_now'] | string) != (found['signature_then'] | string) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if found['any_full'] == 1 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set from_day = activity_changed_from_day(found['built_at']) -%}
    {%- if found['first_day'] is not none -%}
        {%- set first_other = modules.datetime.date.fromisoformat(found['first_day'] | string) -%}
        {%- set from_day = first_other if from_day is none else [from_day, first_other] | min -%}
    {%- endif -%}
    {%- set as_of_now = modules.datetime.date.fromisoformat(found['as_of_now'] | string) -%}
    {%- set as_of_then = modules.datetime.date.fromisoformat(found['as_of_then'] | string) -%}
    {%- if as_of_now != as_of_then -%}
        {%- set after_as_of = [as_of_now, as_of_then] | min + modules.datetime.timedelta(days=1) -%}
        {%- set from_day = after_as_of if from_day is none else [from_day, after_as_of] | min -%}
    {%- endif -%}
    {{ return({'from_day': from_day}) }}
{%- endmacro %}


{#
    SQL: a condition that holds for the rows of an account x day model a
    run computes (`plan`: account_days_plan), on the date `column`: every
    row when the plan is none; none when nothing changed; else those on or
    after from_day (grain 'month': from the first day of its month, for a
    column that holds month starts).
#}
{% macro account_days_since(plan, column, grain='day') -%}
    {%- if plan is none -%}
        1 = 1
    {%- elif plan['from_day'] is none -%}
        1 = 0
    {%- else -%}
        {%- set cut = plan['from_day'] if grain == 'day' else plan['from_day'].replace(day=1) -%}
        {{ column }} >= cast('{{ cut.isoformat() }}' as date)
    {%- endif -%}
{%- endmacro %}


{#
    SQL: the date expression `expression`, moved up to the plan's from_day
    when it falls before it (as it is when the plan is none): a +1/-1 step
    of a running count that happened before from_day counts at from_day.
#}
{% macro account_days_clamped(plan, expression) -%}
    {%- if plan is none or plan['from_day'] is none -%}
        {{ expression }}
    {%- else -%}
        {%- set cut = "cast('" ~ plan['from_day'].isoformat() ~ "' as date)" -%}
        case when {{ expression }} < {{ cut }} then {{ cut }} else {{ expression }} end
    {%- endif -%}
{%- endmacro %}


{#
    The configuration of an account x day model: incremental, strategy
    replace_stale, whose stale rows are those on or after the plan's
    from_day in `rebuild_column` (at `grain`), and which records each build
    in int_account_day_builds; and the models the plan reads, as
    dependencies. A table on Spark, like the other incremental
    models (replace_stale needs a delete), with no record: every build
    there is in full, and models built in parallel cannot append to one
    Spark table at once (its writers share a temporary folder).
#}
{% macro account_days_config(rebuild_column, grain='day') -%}
    {%- set rebuilt_every_run = target.type in ['spark', 'databricks'] -%}
    {{ config(
        materialized='table' if rebuilt_every_run else 'incremental',
        incremental_strategy='replace_stale',
        stale_rows_macro='account_days_stale_rows',
        rebuild_column=rebuild_column,
        rebuild_grain=grain,
        on_schema_change='fail',
        post_hook=[] if rebuilt_every_run else ["{{ record_account_days_build() }}"],
    ) }}
    {#- what the plan and the post-hook read #}
    -- depends_on: {{ ref('int_account_day_inputs') }}
    -- depends_on: {{ ref('int_account_day_builds') }}
    -- depends_on: {{ ref('int_user_activity_daily') }}
    -- depends_on: {{ ref('base_license__event_days') }}
    -- depends_on: {{ ref('base_license__events_exceptions') }}
{%- endmacro %}


{#
    SQL: the rows of an account x day model (`target_relation`) that an
    incremental run replaces (strategy replace_stale): those on or after
    the plan's from_day (see account_days_since).
#}
{% macro account_days_stale_rows(target_relation, batch_relation) -%}
    {{ account_days_since(account_days_plan(), config.require('rebuild_column'), config.get('rebuild_grain', 'day')) }}
{%- endmacro %}


{#
    The name this model's builds are recorded under: its schema and table,
    without the database (DuckDB names it after the file, which may be
    copied or moved).
#}
{% macro account_days_model_name() -%}
    {{ return(this.include(database=false) | string) }}
{%- endmacro %}


{#
    SQL (a post-hook): record that this model was built now, how (build
    kind 'full', 'from_day' with the first day computed again, or
    'unchanged'), and with which as_of_date and inputs' signature. The plan
    is the one the model compiled with (carried in its SQL, carry_plan):
    the days its rows were computed for. Every model it reads was built
    before it compiled (dbt runs a model after its parents); a model
    built in parallel is not one of them.
#}
{% macro record_account_days_build() -%}
    {%- set plan = account_days_plan() -%}
    {%- set build_kind = 'full' if plan is none else ('unchanged' if plan['from_day'] is none else 'from_day') -%}
    insert into {{ ref('int_account_day_builds') }} (
        model_name, built_at, build_kind, rebuilt_from, as_of_date, inputs_signature
    )
    select
        cast('{{ account_days_model_name() }}' as {{ type_text() }}),
        {{ run_started_timestamp() }},
        cast('{{ build_kind }}' as {{ type_text() }}),
        {%- if build_kind == 'from_day' %}
        cast('{{ plan['from_day'].isoformat() }}' as date),
        {%- else %}
        cast(null as date),
        {%- endif %}
        as_of_date,
        inputs_signature
    from {{ ref('int_account_day_inputs') }}
{%- endmacro %}
