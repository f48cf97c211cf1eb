{#
    Every raw event row, typed, with its validation outcome. A repeated
    event_id is one event: identical copies are merged into the kept row,
    copies that differ are quarantined (duplicate_key_conflict; the
    earliest copy is kept). Events of users that are not kept, and events
    more than var future_event_tolerance_hours after the build, are
    quarantined. The original record is only rendered for rows that are
    not kept, so the large kept majority costs nothing extra.

    Incremental: events are large and append-only. A run after the first
    re-reads only the raw events of the last var event_lookback_days days
    before the latest kept event day (late events within the look-back are
    picked up), plus rows without a readable timestamp; it replaces those
    days (delete+insert on load_day). An event_id already kept on an
    earlier day is merged (identical) or quarantined (different), never
    kept twice. Raw rows older than the look-back are not re-read: a
    replayed old file changes nothing, and `dbt build --full-refresh`
    re-reads everything. On Spark the model is a plain table.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='delete+insert',
    unique_key='load_day',
    on_schema_change='fail',
) }}
{%- set raw_columns = raw_table_columns()['events'] %}
{%- set no_timestamp_day = "cast('1900-01-01' as date)" %}

with

source as (

    select * from {{ raw_table('events') }}

),

users as (

    select user_id from {{ ref('base_license__users') }}
    where outcome = 'kept'

),

{% if is_incremental() -%}
reload_from as (

    {#- the first day re-read: look-back days before the latest kept event day
        (or today, if a kept event is dated ahead) #}
    select
        {{ add_days(
            'least(max(load_day), cast(' ~ dbt.current_timestamp() ~ ' as date))',
            -(var('event_lookback_days', 3) | int)
        ) }} as first_reloaded_day
    from {{ this }}
    where outcome = 'kept' and load_day > {{ no_timestamp_day }}

),

{% endif -%}
clock as (

    {#- the latest acceptable event time, computed once (not per event) #}
    select
        cast({{ dbt.dateadd('hour', var('future_event_tolerance_hours', 24), dbt.current_timestamp()) }} as timestamp)
            as future_limit

),

typed as (

    select
        {%- for column_name in raw_columns %}
            source.{{ column_name }} as raw_{{ column_name }},
        {%- endfor %}
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('event_name', lower=true) }} as event_name,
        {{ clean_text('feature_name') }} as feature_name,
        {{ clean_cast('event_ts', 'timestamp') }} as event_ts
    from source

),

batch as (

    select
        *,
        coalesce(cast(event_ts as date), {{ no_timestamp_day }}) as load_day
    from typed
    {%- if is_incremental() %}
    cross join reload_from
    where event_ts is null
        or reload_from.first_reloaded_day is null
        or cast(event_ts as date) >= reload_from.first_reloaded_day
    {%- endif %}

),

checked as {{ materialized_cte() }} (

    select
        batch.*,
        {{ first_failing_rule([
            ('missing_event_id', 'event_id is null'),
            ('missing_user_id', 'user_id is null'),
            ('missing_event_name', 'event_name is null'),
            ('invalid_event_ts', 'event_ts is null'),
            ('event_in_future', 'batch.event_ts > clock.future_limit'),
        ]) }} as row_rule,
        {{ row_fingerprint(['user_id', 'event_name', 'feature_name', 'event_ts']) }} as fingerprint
    from batch
    cross join clock

),

repeated_key_hashes as (

    {#- ids that occur more than once among valid rows, found by grouping a
        64-bit hash of the id (cheap) rather than the id text; a hash
        collision only sends a few more rows down the exact path below #}
    select {{ key_hash('event_id') }} as key_hash
    from checked
    where row_rule is null
    group by {{ key_hash('event_id') }}
    having count(*) > 1

),

single_rows as (

    {#- the vast majority: an id seen once is kept as it is, no sort needed #}
    select
        checked.*,
        case when checked.row_rule is null then 1 else 0 end as key_rank,
        true as is_identical_to_kept
    from checked
    left join repeated_key_hashes
        on {{ key_hash('checked.event_id') }} = repeated_key_hashes.key_hash
    where repeated_key_hashes.key_hash is null
        or checked.row_rule is not null

),

repeated_rows as (

    select checked.*
    from checked
    inner join repeated_key_hashes
        on {{ key_hash('checked.event_id') }} = repeated_key_hashes.key_hash
    where checked.row_rule is null

),

repeated_ranked as (

    {{ rank_within_key('repeated_rows', ['event_id'], 'event_ts, user_id, event_name, feature_name') }}

),

ranked as (

    select * from single_rows
    union all
    select * from repeated_ranked

),

earlier_kept as (

    {#- events kept on the days that are not re-read (none on a full build) #}
    {%- if is_incremental() %}
        select
            history.event_id,
            history.fingerprint
        from {{ this }} as history
        cross join reload_from
        where history.outcome = 'kept'
            and history.load_day > {{ no_timestamp_day }}
            and history.load_day < reload_from.first_reloaded_day
    {%- else %}
        select
            event_id,
            fingerprint
        from checked
        where 1 = 0
    {%- endif %}

),

ranked_against_history as (

    {#- a winner of the batch whose id was kept on an earlier day is a repeat of that row #}
    select
        ranked.*,
        case
            when ranked.key_rank = 1 and earlier_kept.event_id is not null then 2
            else ranked.key_rank
        end as history_key_rank,
        case
            when ranked.key_rank = 1 and earlier_kept.event_id is not null
                then ranked.fingerprint = earlier_kept.fingerprint
            else ranked.is_identical_to_kept
        end as history_is_identical
    from ranked
    left join earlier_kept
        on ranked.event_id = earlier_kept.event_id

),

referenced as (

    select
        ranked_against_history.*,
        case when users.user_id is null then 'unknown_user' end as reference_rule
    from ranked_against_history
    left join users
        on ranked_against_history.user_id = users.user_id

),

final as (

    select
        referenced.event_id,
        referenced.user_id,
        referenced.event_name,
        referenced.feature_name,
        referenced.event_ts,
        referenced.load_day,
        referenced.fingerprint,
        referenced.row_rule,
        referenced.history_key_rank as key_rank,
        referenced.history_is_identical as is_identical_to_kept,
        referenced.reference_rule,
        {{ row_outcome(key_rank='history_key_rank', is_identical='history_is_identical') }} as outcome,
        {{ row_quarantine_rule(key_rank='history_key_rank', is_identical='history_is_identical') }}
            as quarantine_rule,
        case
            when {{ row_outcome(key_rank='history_key_rank', is_identical='history_is_identical') }} <> 'kept'
                then {{ raw_record(raw_columns, relation_alias='referenced', column_prefix='raw_') }}
        end as record
    from referenced

)

select * from final
