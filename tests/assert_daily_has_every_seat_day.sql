{#
    Integrity across layers: the daily fact has exactly one row per account
    and day with seats in force (no fan-out, no lost day), with the same
    seat count. Returns the days that differ.
#}
with

seats_daily as (

    select * from {{ ref('int_account_seats_daily') }}

),

daily as (

    select * from {{ ref('fct_license_utilization_daily') }}

),

final as (

    select
        seats_daily.licensed_seats as seats_in_force,
        daily.licensed_seats as fact_licensed_seats,
        coalesce(seats_daily.account_id, daily.account_id) as account_id,
        coalesce(seats_daily.date_day, daily.date_day) as date_day
    from seats_daily
    full outer join daily
        on seats_daily.account_id = daily.account_id
            and seats_daily.date_day = daily.date_day
    where seats_daily.account_id is null
        or daily.account_id is null
        or seats_daily.licensed_seats <> daily.licensed_seats

)

select * from final
