{#
    The raw event rows that are not simply kept, with their validation
    outcome: rows that break a row-level rule, every copy of an event_id
    that occurs more than once among the valid rows (ranked: the earliest
    copy is kept, identical later copies are merged, different ones are
    quarantined as duplicate_key_conflict), and events of users that are
    not kept (unknown_user). Every other raw row is kept as it is; the view
    base_license__events puts the two together.

    Why a table of exceptions and not of every event: the events are by
    far the largest input, and nearly every row is simply kept. Writing a
    typed copy of every event cost more than the rest of the build; this
    table holds a fraction of a percent of them, and finding the repeated
    ids is one pass that groups 64-bit hashes of the ids (a hash collision
    only sends a few more rows down the exact, ranked path).

    Rebuilt in full on every run: an id is repeated or not over all raw
    rows, including a replayed file of old events.
#}
{%- set raw_columns = raw_table_columns()['events'] %}

with

source as {{ materialized_cte(false) }} (

    {#- read twice (below); re-reading the raw input is cheaper than storing it #}
    select * from {{ raw_table('events') }}

),

users as (

    select user_id from {{ ref('base_license__users') }}
    where outcome = 'kept'

),

checked as {{ materialized_cte(false) }} (

    {{ checked_raw_events('source') }}

),

repeated_key_hashes as (

    {#- ids that occur more than once (valid or not): grouping 64-bit hashes
        of the cleaned ids is the one pass over every event; a hash
        collision only sends a few more rows down the exact, ranked path
        below. (Blank ids, all hashed alike here, never match below: their
        cleaned id is null.) #}
    select {{ key_hash(clean_text('source.event_id')) }} as key_hash
    from source
    where source.event_id is not null
    group by {{ key_hash(clean_text('source.event_id')) }}
    having count(*) > 1

),

flagged_rows as {{ materialized_cte() }} (

    {#- one more pass over the events picks out the few rows that are not
        simply kept: every copy of a repeated id, rows that break a row
        rule, rows of users not kept #}
    select
        checked.*,
        {{ row_fingerprint(['checked.user_id', 'checked.event_name', 'checked.feature_name', 'checked.event_ts']) }}
            as fingerprint,
        case when repeated_key_hashes.key_hash is null then 0 else 1 end as is_repeated_id
    from checked
    left join repeated_key_hashes
        on {{ key_hash('checked.event_id') }} = repeated_key_hashes.key_hash
            and checked.event_id is not null
    left join users
        on checked.user_id = users.user_id
    where repeated_key_hashes.key_hash is not null
        or checked.row_rule is not null
        or users.user_id is null

),

repeated_rows as (

    {#- every copy of a repeated id, valid or not (a copy that breaks a row
        rule is quarantined by that rule; the valid ones are ranked) #}
    select * from flagged_rows
    where is_repeated_id = 1

),

repeated_ranked as (

    {{ rank_within_key('repeated_rows', ['event_id'], 'event_ts, user_id, event_name, feature_name') }}

),

other_rows as (

    select
        *,
        case when row_rule is null then 1 else 0 end as key_rank,
        true as is_identical_to_kept
    from flagged_rows
    where is_repeated_id = 0

),

ranked as (

    select * from repeated_ranked
    union all
    select * from other_rows

),

referenced as (

    {{ check_parent('ranked', 'users', 'user_id', 'unknown_user') }}

),

outcomes as (

    {{ with_outcome('referenced') }}

),

final as (

    select
        outcomes.raw_event_id,
        outcomes.event_id,
        outcomes.user_id,
        outcomes.event_name,
        outcomes.feature_name,
        outcomes.event_ts,
        outcomes.fingerprint,
        outcomes.row_rule,
        outcomes.key_rank,
        outcomes.is_identical_to_kept,
        outcomes.reference_rule,
        outcomes.outcome,
        outcomes.quarantine_rule,
        case
            when outcomes.outcome <> 'kept'
                then {{ raw_record(raw_columns, relation_alias='outcomes', column_prefix='raw_') }}
        end as record
    from outcomes

)

select * from final
