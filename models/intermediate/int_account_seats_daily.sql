{#
    Seats in force per account and day: the sum of the quantities of the
    account's seat-based and tiered terms in force that day. Only days
    with seats in force (> 0) are kept: they are the days a utilization
    figure exists for. Cost: account-days, not users x days.

    Incremental (macros/rules/account_days.sql): a run after the first
    computes only the days from the first one a change can reach.
#}
{{ account_days_config('date_day') }}
{%- set plan = account_days_plan() %}
{{ carry_plan('account_days', plan) }}
with

seat_periods as (

    select * from {{ ref('int_subscription_seat_periods') }}

),

date_spine as (

    select * from {{ ref('int_date_spine') }}
    where {{ account_days_since(plan, 'date_day') }}

),

seats_by_day as (

    select
        seat_periods.account_id,
        date_spine.date_day,
        sum(seat_periods.seats) as licensed_seats,
        count(*) as terms_in_force
    from seat_periods
    inner join date_spine
        on seat_periods.valid_from <= date_spine.date_day
            and seat_periods.valid_to >= date_spine.date_day
    group by seat_periods.account_id, date_spine.date_day

),

final as (

    select
        account_id,
        date_day,
        cast(licensed_seats as bigint) as licensed_seats,
        cast(terms_in_force as bigint) as terms_in_force
    from seats_by_day
    where licensed_seats > 0

)

select * from final
