{#
    Every raw row that was rejected, with the rule that rejected it and its
    original values (JSON text), next to the marts: fix them at the source
    and rebuild. One row per rejected raw row (its first failing rule).
#}
with

accounts as (

    select * from {{ ref('base_license__accounts') }}

),

subscriptions as (

    select * from {{ ref('base_license__subscriptions') }}

),

seat_changes as (

    select * from {{ ref('base_license__subscription_seat_changes') }}

),

users as (

    select * from {{ ref('base_license__users') }}

),

events as (

    {#- the rows of base_license__events that are not simply kept: every
        quarantined event is here (the view's other rows are all kept) #}
    select * from {{ ref('base_license__events_exceptions') }}

),

rejected as (

    select
        'accounts' as table_name,
        quarantine_rule as rule,
        account_id as record_key,
        record
    from accounts
    where outcome = 'quarantined'

    union all

    select
        'subscriptions' as table_name,
        quarantine_rule as rule,
        subscription_id as record_key,
        record
    from subscriptions
    where outcome = 'quarantined'

    union all

    select
        'subscription_seat_changes' as table_name,
        quarantine_rule as rule,
        {{ dbt.concat([
            "coalesce(subscription_id, '')", "'@'", "coalesce(cast(effective_date as " ~ type_text() ~ "), '')"
        ]) }} as record_key,
        record
    from seat_changes
    where outcome = 'quarantined'

    union all

    select
        'users' as table_name,
        quarantine_rule as rule,
        user_id as record_key,
        record
    from users
    where outcome = 'quarantined'

    union all

    select
        'events' as table_name,
        quarantine_rule as rule,
        event_id as record_key,
        record
    from events
    where outcome = 'quarantined'

),

final as (

    select
        table_name,
        rule,
        record_key,
        record
    from rejected

)

select * from final
