{#
    Product activity per user, day and event name: the one aggregation of
    the events that every "active" definition is evaluated from. Events of
    users that are not in `users` were quarantined in staging.
    Grain: user_id x activity_date x event_name.

    Incremental: a run after the first recomputes only the days from var
    event_lookback_days before its latest day on (the same days
    base_license__events re-reads), replacing them (delete+insert on
    activity_date). `dbt build --full-refresh` recomputes everything.
#}
{{ config(
    materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
    incremental_strategy='delete+insert',
    unique_key='activity_date',
    on_schema_change='fail',
) }}

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
    {%- if is_incremental() %}
    where events.event_date >= (
        select {{ add_days('max(activity_date)', -(var('event_lookback_days', 3) | int)) }}
        from {{ this }}
    )
    {%- endif %}

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
