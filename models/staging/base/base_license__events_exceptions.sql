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
    table holds a fraction of a percent of them. On a full build, the
    first pass over the ids sorts a hash of each one and keeps the hashes
    that repeat: every copy of a repeated id is among their rows, with
    some more rows whose hashes merely collide. On DuckDB with up to 100M
    events the hash is 32-bit (short_key_hash_pays: at 50M events sorting
    4-byte hashes saves ~0.7 s, and the ~580k rows collisions add cost
    ~0.5 s of it), else 64-bit. A second pass
    picks out the candidate rows on their raw text, without cleaning any
    value (raw_event_needs_cleaning): such a hash, a user that is not
    kept, or a value cleaning may change or a rule may reject. Only those
    rows are cleaned and checked (at 50M events that saves 0.1-0.3 s), and
    among them the ids that really repeat are found exactly (their 64-bit
    hashes; a collision there only sends a few more rows down the exact,
    ranked path).

    Incremental (strategy replace_stale, macros/rules/event_batches.sql):
    a run after the first decides again only the raw rows a new batch can
    change, and gets the same rows as a rebuild:
    - the rows of the days whose raw row count changed since the table's
      latest decision (base_license__event_days: a new day, late or
      replayed rows, a file taken away), and of days held back as
      event_in_future;
    - the rows of users whose status changed: unknown when their rows were
      decided and kept now (a user who arrived late), or the other way;
    - every other copy of an event_id one of those rows has (or had): a
      replayed old file repeats ids of days long decided. The days that
      hold such copies are looked up in base_license__event_id_days (an
      index of id hashes by day, written after this model for the next
      run), and only they and the changed days are read from the raw
      events (every row, when users changed status or there is no index).
    The stale rows of the table (those same rows, and rows whose id group
    lost a member) are deleted, the batch inserted. Every row is decided
    again when the table is empty or was decided under other settings
    (rules_signature).
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='replace_stale',
    stale_rows_macro='event_exceptions_stale_rows',
    on_schema_change='fail',
) }}
{%- set raw_columns = raw_table_columns()['events'] %}
{%- set plan = event_exceptions_plan(this, ref('base_license__event_days')) %}
{{ carry_plan('event_exceptions', plan) }}
-- depends_on: {{ ref('base_license__event_rows') }}
{%- set decide_all = plan is none or plan['everything'] %}
{%- set pass_hash = short_key_hash if decide_all and short_key_hash_pays(raw_table('events')) else key_hash %}
{%- set scan_plan = none if decide_all or plan['users_changed'] else event_copy_days_plan(plan, this) %}

with

source as {{ materialized_cte(false) }} (

    {#- read twice on a full build (below); re-reading the raw input is
        cheaper than storing it #}
    select * from {{ raw_table('events') }}

),

users as (

    select user_id from {{ ref('base_license__users') }}
    where outcome = 'kept'

),
{% if decide_all %}

    pass_keys as (

        {#- the hash of every cleaned id (valid or not): the one pass over
            every event id, short where that pays (short_key_hash_pays). It
            only picks candidates: a collision sends more rows down the exact
            path below, which finds the ids that really repeat among them.
            (Blank ids, all hashed alike here, never match below: their
            cleaned id is null.) #}
        select {{ pass_hash(clean_text('source.event_id')) }} as pass_key
        from source
        where source.event_id is not null

    ),

    repeated_pass_keys as (

        {#- the hashes that occur more than once: on a full build the one
            step whose cost grows with every event (see repeated_values) #}
        {{ repeated_values('pass_keys', 'pass_key') | indent(4) }}

    ),
{% else %}

    checked as {{ materialized_cte(false) }} (

        {{ checked_raw_events('source') | indent(4) }}

    ),

    stored as (

        select * from {{ this }}

    ),

    previously_unknown_users as (

        select distinct user_id from stored
        where reference_rule is not null and user_id is not null

    ),

    arrived_users as (

        {#- users that were unknown when their rows were decided, kept now #}
        select previously_unknown_users.user_id
        from previously_unknown_users
        inner join users
            on previously_unknown_users.user_id = users.user_id

    ),

    region_rows as (

        select * from checked
        where {{ event_days_condition(plan, 'checked.event_ts', with_future=true) }}

    ),

    newly_unknown_user_rows as (

        {#- rows of users not kept now whose rows were decided while they
            were (or who are new): one pass over the user ids #}
        select checked.*
        from checked
        left join users
            on checked.user_id = users.user_id
        left join previously_unknown_users
            on checked.user_id = previously_unknown_users.user_id
        where checked.user_id is not null
            and users.user_id is null
            and previously_unknown_users.user_id is null
            {#- no user changed status when the kept set is the one the
                latest decided rows saw: no pass over the user ids #}
            and {{ 'true' if plan['users_changed'] else 'false' }}

    ),

    batch_key_hashes as (

        {#- the ids whose every copy is decided again: those of the region's
            rows and of newly unknown users, and those of stored rows of the
            region or of arrived users #}
        select {{ key_hash('event_id') }} as key_hash from region_rows
        where event_id is not null
        union
        select {{ key_hash('event_id') }} as key_hash from newly_unknown_user_rows
        where event_id is not null
        union
        select {{ key_hash('stored.event_id') }} as key_hash from stored
        left join arrived_users
            on stored.user_id = arrived_users.user_id
        where stored.event_id is not null
            and (
                {{ event_days_condition(plan, 'stored.event_ts', with_future=true) }}
                or (stored.reference_rule is not null and arrived_users.user_id is not null)
            )

    ),

    scanned as {{ materialized_cte(false) }} (

        {#- the raw rows that can be decided again: the region's, and those
            of the days that may hold other copies of its ids (looked up in
            base_license__event_id_days when the model compiles), read from
            those days only; every row when users changed status #}
        select * from checked
        {%- if scan_plan is not none %}
        where {{ event_days_condition(scan_plan, 'checked.event_ts', with_future=true) }}
        {%- endif %}

    ),

    in_scope as {{ materialized_cte() }} (

        {#- the raw rows decided again: those of the region, of users whose
            status changed and of the ids above #}
        select
            scanned.*,
            case when {{ event_days_condition(plan, 'scanned.event_ts') }} then 1 else 0 end as is_on_changed_day
        from scanned
        {%- if plan['users_changed'] %}
        left join users
            on scanned.user_id = users.user_id
        left join previously_unknown_users
            on scanned.user_id = previously_unknown_users.user_id
        left join arrived_users
            on scanned.user_id = arrived_users.user_id
        {%- endif %}
        left join batch_key_hashes
            on {{ key_hash('scanned.event_id') }} = batch_key_hashes.key_hash
                and scanned.event_id is not null
        where {{ event_days_condition(plan, 'scanned.event_ts', with_future=true) }}
            {%- if plan['users_changed'] %}
            or (
                scanned.user_id is not null
                and users.user_id is null
                and previously_unknown_users.user_id is null
            )
            or arrived_users.user_id is not null
            {%- endif %}
            or batch_key_hashes.key_hash is not null

    ),

{% endif %}
{% if decide_all %}

    candidate_rows as (

        {#- the raw rows that may not be simply kept, found without cleaning
            any value: a repeated id, a user that is not kept, or a value
            that cleaning may change or that breaks a row rule
            (raw_event_needs_cleaning). A row left out has the cleaned id
            and user of its raw text, so matching the raw text is exact:
            it is simply kept. Only these rows are cleaned and checked. #}
        select source.*
        from source
        left join repeated_pass_keys
            on {{ pass_hash('cast(source.event_id as ' ~ type_text() ~ ')') }} = repeated_pass_keys.pass_key
        left join users
            on cast(source.user_id as {{ type_text() }}) = users.user_id
        where repeated_pass_keys.pass_key is not null
            or users.user_id is null
            or {{ raw_event_needs_cleaning('source') | indent(12) }}

    ),

    in_scope as {{ materialized_cte() }} (

        {#- (noqa: checked_raw_events aliases the rows it reads `source`) #}
        select
            checked.*,
            1 as is_on_changed_day
        from ({{ checked_raw_events('candidate_rows') | indent(8) }}) as checked  -- noqa: RF04

    ),
{% endif %}

hashed_keys as (

    {#- the rows in scope hold every copy of each of their ids: those of
        a batch (the ids of its rows are all decided again), or on a full
        build every row whose first-pass hash repeats #}
    select {{ key_hash('event_id') }} as key_hash
    from in_scope
    where event_id is not null

),

repeated_key_hashes as (

    {#- the ids that occur more than once, exactly (up to a 64-bit hash
        collision, which only sends a few more rows down the ranked path) #}
    {{ repeated_values('hashed_keys', 'key_hash') }}

),

flagged_rows as {{ materialized_cte() }} (

    {#- the few rows that are not simply kept, among the rows in scope:
        every copy of a repeated id, rows that break a row rule, rows of
        users not kept #}
    select
        in_scope.*,
        {{ row_fingerprint(['in_scope.user_id', 'in_scope.event_name', 'in_scope.feature_name', 'in_scope.event_ts']) }}
            as fingerprint,
        case when repeated_key_hashes.key_hash is null then 0 else 1 end as is_repeated_id
    from in_scope
    left join repeated_key_hashes
        on {{ key_hash('in_scope.event_id') }} = repeated_key_hashes.key_hash
            and in_scope.event_id is not null
    left join users
        on in_scope.user_id = users.user_id
    where repeated_key_hashes.key_hash is not null
        or in_scope.row_rule is not null
        or users.user_id is null
        {#- a row decided again off the changed days is written even when
            simply kept: its outcome may have changed, and its day must be
            recounted (int_user_activity_daily reads decided_at) #}
        or in_scope.is_on_changed_day = 0

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
        end as record,
        (
            outcomes.is_repeated_id = 0
            and outcomes.row_rule is null
            and outcomes.reference_rule is null
        ) as is_simply_kept,
        cast('{{ event_rules_signature() }}' as {{ type_text() }}) as rules_signature,
        cast('{{ kept_users_signature() }}' as {{ type_text() }}) as users_signature,
        {{ run_started_timestamp() }} as decided_at
    from outcomes

)

select * from final
