{#
    The days each licensed user can count, as one interval per user:
    from the created_at date to the day before the deactivated_at date
    (CONTRACT section 3). Free and guest users (holds_license false) take
    no seat and are left out; a user deactivated on or before the day
    they were created never counts.

    Built whole or not at all (materialization kept_table, with
    rebuilt_on_change: macros/rules/unchanged_tables.sql): a run keeps the
    table as it is when the users (stg_license__users) and this model's
    compiled SQL are as at its last build. A daily run brings new events,
    rarely new users, and the 235k rows at M cost ~0.1 s to write again.
#}
{{ config(materialized='kept_table') }}

{% call rebuilt_on_change(refs=['stg_license__users']) %}
with

users as (

    select * from {{ ref('stg_license__users') }}

),

final as (

    select
        user_id,
        account_id,
        department,
        role,
        created_date as eligible_from,
        {{ add_days('deactivated_date', -1) }} as eligible_to
    from users
    where holds_license
        and account_id is not null
        and created_date is not null
        and (deactivated_date is null or deactivated_date > created_date)

)

select * from final
{% endcall %}
