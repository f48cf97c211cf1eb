{#
    The plan tier of each account at each month snapshot: the tier of its
    seat-based term with the most seats in force that day (ties: the later
    term). Accounts with several products get one tier per month.
#}
with

monthly as (

    select * from {{ ref('fct_license_utilization_monthly') }}

),

seat_periods as (

    select * from {{ ref('int_subscription_seat_periods') }}

),

subscriptions as (

    select * from {{ ref('stg_license__subscriptions') }}

),

terms_at_snapshot as (

    select
        monthly.account_id,
        monthly.month_start,
        monthly.snapshot_date,
        subscriptions.plan_tier,
        row_number() over (
            partition by monthly.account_id, monthly.month_start
            order by seat_periods.seats desc, subscriptions.start_date desc, subscriptions.subscription_id desc
        ) as tier_rank
    from monthly
    inner join seat_periods
        on monthly.account_id = seat_periods.account_id
            and monthly.snapshot_date >= seat_periods.valid_from
            and monthly.snapshot_date <= seat_periods.valid_to
    inner join subscriptions
        on seat_periods.subscription_id = subscriptions.subscription_id

),

final as (

    select
        account_id,
        month_start,
        snapshot_date,
        coalesce(plan_tier, 'unknown') as plan_tier
    from terms_at_snapshot
    where tier_rank = 1

)

select * from final
