{#
    Product activity per user, day and event name: the one pass over the
    events that every "active" definition is evaluated from. Events of
    users that are not in `users` are left out here (and counted in the
    audit). Grain: user_id x activity_date x event_name.
#}
with

events as (

    select * from {{ ref('stg_license__events') }}

),

users as (

    select * from {{ ref('stg_license__users') }}

),

events_of_known_users as (

    select
        events.user_id,
        users.account_id,
        events.event_date,
        events.event_name
    from events
    inner join users
        on events.user_id = users.user_id
    where events.event_date is not null

),

final as (

    select
        user_id,
        account_id,
        event_date as activity_date,
        event_name,
        count(*) as event_count
    from events_of_known_users
    group by user_id, account_id, event_date, event_name

)

select * from final
