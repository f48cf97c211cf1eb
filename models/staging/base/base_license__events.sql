{#
    Every raw event row, typed, with its validation outcome. A repeated
    event_id is one event: identical copies are merged into the kept row,
    copies that differ are quarantined (duplicate_key_conflict; the
    earliest copy is kept). Events of users that are not kept, and events
    more than var future_event_tolerance_hours after the build, are
    quarantined. The original record is only rendered for rows that are
    not kept, so the large kept majority costs nothing extra.
#}
{%- set raw_columns = raw_table_columns()['events'] %}

with

source as (

    select * from {{ raw_table('events') }}

),

users as (

    select user_id from {{ ref('base_license__users') }}
    where outcome = 'kept'

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

checked as (

    select
        *,
        {{ first_failing_rule([
            ('missing_event_id', 'event_id is null'),
            ('missing_user_id', 'user_id is null'),
            ('missing_event_name', 'event_name is null'),
            ('invalid_event_ts', 'event_ts is null'),
            ('event_in_future', 'event_ts > ' ~ dbt.dateadd('hour', var('future_event_tolerance_hours', 24), dbt.current_timestamp())),
        ]) }} as row_rule,
        {{ row_fingerprint(['user_id', 'event_name', 'feature_name', 'event_ts']) }} as fingerprint
    from typed

),

ranked as (

    {{ rank_within_key('checked', ['event_id'], 'event_ts, user_id, event_name, feature_name') }}

),

referenced as (

    select
        ranked.*,
        case when users.user_id is null then 'unknown_user' end as reference_rule
    from ranked
    left join users
        on ranked.user_id = users.user_id

),

final as (

    select
        event_id,
        user_id,
        event_name,
        feature_name,
        event_ts,
        row_rule,
        key_rank,
        is_identical_to_kept,
        reference_rule,
        {{ row_outcome() }} as outcome,
        {{ row_quarantine_rule() }} as quarantine_rule,
        case
            when {{ row_outcome() }} <> 'kept'
                then {{ raw_record(raw_columns, relation_alias='referenced', column_prefix='raw_') }}
        end as record
    from referenced

)

select * from final
