{#
    Product activity per user and day, by event category under the
    configured rule (login, feature_use, core_workflow): the one
    aggregation of the events that the "active" rule is evaluated from.
    Grain: user_id x activity_date.

    The kept events of a user-day are counted as every raw row of it
    (base_license__event_rows) less its rows that are not kept (rule
    breaks, merged or conflicting copies, unknown users: the few rows of
    base_license__events_exceptions whose outcome is not kept). The same
    figures as counting stg_license__events, without matching each raw
    row against the exceptions or reading its event_id.

    Incremental (strategy replace_stale): a run after the first recounts
    only the days whose kept events may have changed since its latest
    count (counted_at): days whose raw row count changed
    (base_license__event_days: new days, late or replayed rows), days of
    event rows decided again (base_license__events_exceptions), and the
    last var event_lookback_days days. The days are looked up when the
    model compiles and written into the query as date ranges, so the
    filter on event_ts reaches the raw files' row-group statistics and
    other days' events are not even read. When the event-name vars
    changed since the table was counted (category_signature), every day
    is recounted.

    counted_at is when a day's counts last changed, not when they were
    last recounted: a recounted day whose rows all come out as stored
    (same users, same counts) keeps their counted_at. The models that
    read it (the intervals, the account x day models) compute again from
    the first day counted since their own last build, so the look-back
    days recounted every run, unchanged, no longer send them back over
    those days (nor, when the look-back reaches into the previous month,
    the monthly marts over that whole month). A day that lost a row is
    stamped as changed: its other rows are then new. The rows a recount
    takes away are written to int_user_activity_removals before they go
    (user_activity_removed_rows), and a build in full leaves a marker
    there (record_user_activity_rebuild): the intervals models compute
    again the users of both.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='replace_stale',
    stale_rows_macro='user_activity_stale_rows',
    removed_rows_macro='user_activity_removed_rows',
    post_hook=[] if target.type in ['spark', 'databricks'] else ['{{ record_user_activity_rebuild() }}'],
    on_schema_change='fail',
) }}
-- depends_on: {{ ref('base_license__event_days') }}
-- depends_on: {{ ref('int_user_activity_removals') }}
{%- set rule = active_rule() %}
{%- set signature = event_categories_signature(rule) %}
{%- set plan = activity_recount_plan(this, signature) %}
{{ carry_plan('activity_recount', plan) }}

with

event_rows as (

    select * from {{ ref('base_license__event_rows') }}

),

exceptions as (

    select * from {{ ref('base_license__events_exceptions') }}

),

dropped_rows as (

    select
        user_id,
        cast(event_ts as date) as event_date,
        event_ts,
        event_name
    from exceptions
    where outcome <> 'kept'

),

row_counts as (

    {{ user_activity_daily_sql(rule, 'event_rows', plan) | indent(4) }}

),

dropped_counts as (

    {{ user_activity_daily_sql(rule, 'dropped_rows', plan) | indent(4) }}

),

counted as (

    {#- every raw row, less the rows not kept: the kept events. A row
        without a user or a readable day is never kept. #}
    {{ kept_event_counts(
        'row_counts',
        'dropped_counts',
        keys=['user_id', 'activity_date'],
        measures=['login_events', 'feature_events', 'core_workflow_events', 'event_count'],
    ) | indent(4) }}

),

{%- set measures = ['login_events', 'feature_events', 'core_workflow_events', 'event_count'] %}
{%- if plan is none %}

    stamped as (

        select
            counted.*,
            {{ run_started_timestamp() }} as counted_at
        from counted

    ),
{%- else %}

    stored as (

        {#- the stored rows of the days recounted (all of them are replaced) #}
        select * from {{ this }}
        where {{ event_days_condition(plan, 'activity_date', data_type='date') }}

    ),

    compared as (

        select
            counted.*,
            stored.counted_at as stored_counted_at,
            coalesce(counted.activity_date, stored.activity_date) as compared_date,
            case
                when counted.user_id is not null
                    and stored.user_id is not null
                    {%- for measure in measures %}
                    and counted.{{ measure }} = stored.{{ measure }}
                    {%- endfor %}
                    then 1
                else 0
            end as is_as_stored
        from counted
        full outer join stored
            on counted.user_id = stored.user_id
                and counted.activity_date = stored.activity_date

    ),

    unchanged_days as (

        {#- the recounted days whose every row, stored or counted, is as stored #}
        select compared_date
        from compared
        group by compared_date
        having min(is_as_stored) = 1

    ),

    stamped as (

        select
            {%- for column in ['user_id', 'activity_date'] + measures %}
            compared.{{ column }},
            {%- endfor %}
            case
                when unchanged_days.compared_date is not null then compared.stored_counted_at
                else {{ run_started_timestamp() }}
            end as counted_at
        from compared
        left join unchanged_days
            on compared.compared_date = unchanged_days.compared_date
        where compared.user_id is not null

    ),
{%- endif %}

final as (

    select
        user_id,
        activity_date,
        cast(login_events as bigint) as login_events,
        cast(feature_events as bigint) as feature_events,
        cast(core_workflow_events as bigint) as core_workflow_events,
        cast(event_count as bigint) as event_count,
        cast('{{ signature | replace("'", "''") }}' as {{ type_text() }}) as category_signature,
        counted_at
    from stamped

)

select * from final
