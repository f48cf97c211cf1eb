{#
    The quantity of each seat-based or tiered term as periods of constant
    seats: [valid_from, valid_to], both inclusive, clipped to the days the
    term is in force (start_date .. end_date, not from canceled_at on) and
    to as_of_date. The quantity on a day is the latest seat change with
    effective_date <= that day, else seats_purchased (CONTRACT section 4).
    Usage-based terms are left out. Periods with 0 seats are kept: they
    are real, and the account-day sum simply adds nothing for them.
#}
with

subscriptions as (

    select * from {{ ref('stg_license__subscriptions') }}

),

seat_changes as (

    select * from {{ ref('stg_license__subscription_seat_changes') }}

),

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

seat_based_terms as (

    select
        subscriptions.subscription_id,
        subscriptions.account_id,
        subscriptions.seats_purchased,
        subscriptions.start_date,
        {#- last day in force: end_date, the day before canceled_at, as_of_date #}
        least(
            coalesce(subscriptions.end_date, reporting_period.as_of_date),
            coalesce({{ add_days('subscriptions.canceled_at', -1) }}, reporting_period.as_of_date),
            reporting_period.as_of_date
        ) as last_day_in_force
    from subscriptions
    cross join reporting_period
    where subscriptions.is_seat_based
        and subscriptions.start_date is not null
        and subscriptions.account_id is not null

),

quantity_points as (

    {#- the quantity bought at the start of the term ... #}
    select
        subscription_id,
        start_date as valid_from,
        seats_purchased as seats,
        0 as precedence,
        start_date as effective_date
    from seat_based_terms

    union all

    {#- ... and every seat change; one effective before the start holds from the start #}
    select
        seat_changes.subscription_id,
        case
            when seat_changes.effective_date < seat_based_terms.start_date
                then seat_based_terms.start_date
            else seat_changes.effective_date
        end as valid_from,
        seat_changes.seats_purchased as seats,
        1 as precedence,
        seat_changes.effective_date
    from seat_changes
    inner join seat_based_terms
        on seat_changes.subscription_id = seat_based_terms.subscription_id

),

quantity_points_ranked as (

    {#- on one day, a seat change beats the purchase, and the latest change wins #}
    select
        *,
        row_number() over (
            partition by subscription_id, valid_from
            order by precedence desc, effective_date desc
        ) as point_rank
    from quantity_points

),

periods as (

    select
        quantity_points_ranked.subscription_id,
        quantity_points_ranked.valid_from,
        quantity_points_ranked.seats,
        lead(quantity_points_ranked.valid_from) over (
            partition by quantity_points_ranked.subscription_id
            order by quantity_points_ranked.valid_from
        ) as next_valid_from
    from quantity_points_ranked
    where quantity_points_ranked.point_rank = 1

),

final as (

    select
        periods.subscription_id,
        seat_based_terms.account_id,
        coalesce(periods.seats, 0) as seats,
        periods.valid_from,
        case
            when periods.next_valid_from is not null
                and {{ add_days('periods.next_valid_from', -1) }} < seat_based_terms.last_day_in_force
                then {{ add_days('periods.next_valid_from', -1) }}
            else seat_based_terms.last_day_in_force
        end as valid_to
    from periods
    inner join seat_based_terms
        on periods.subscription_id = seat_based_terms.subscription_id
    where periods.valid_from <= seat_based_terms.last_day_in_force

)

select * from final
