{#
    Per account and day with seats in force: users assigned (eligible,
    licensed) and users active under the configured rule.

    A sweep, not a users x days grid: every interval contributes +1 on its
    first day and -1 on the day after its last; the deltas are summed per
    account and day, laid over the account's seat days, and a running sum
    ordered by day gives the number of intervals covering each day.

    Incremental (macros/rules/account_days.sql): a run after the first
    computes only the days from the plan's from_day on. An interval that
    ends before from_day adds nothing there and is not read; a step of an
    interval that began before from_day counts at from_day.
#}
{{ account_days_config('date_day') }}
{%- set plan = account_days_plan() %}
{{ carry_plan('account_days', plan) }}
with

seats_daily as (

    select * from {{ ref('int_account_seats_daily') }}
    where {{ account_days_since(plan, 'date_day') }}

),

eligibility as (

    select * from {{ ref('int_user_eligibility') }}
    where eligible_to is null or {{ account_days_since(plan, 'eligible_to') }}

),

active_intervals as (

    select * from {{ ref('int_user_active_intervals') }}
    where {{ account_days_since(plan, 'active_to') }}

),

interval_deltas as (

    select
        account_id,
        {{ account_days_clamped(plan, 'eligible_from') }} as change_date,
        1 as assigned_delta,
        0 as active_delta
    from eligibility
    union all
    select
        account_id,
        {{ account_days_clamped(plan, add_days('eligible_to', 1)) }} as change_date,
        -1 as assigned_delta,
        0 as active_delta
    from eligibility
    where eligible_to is not null
    union all
    select
        account_id,
        {{ account_days_clamped(plan, 'active_from') }} as change_date,
        0 as assigned_delta,
        1 as active_delta
    from active_intervals
    union all
    select
        account_id,
        {{ account_days_clamped(plan, add_days('active_to', 1)) }} as change_date,
        0 as assigned_delta,
        -1 as active_delta
    from active_intervals

),

deltas_and_seat_days as (

    select
        account_id,
        change_date as date_day,
        assigned_delta,
        active_delta,
        0 as is_seat_day
    from interval_deltas
    union all
    select
        account_id,
        date_day,
        0 as assigned_delta,
        0 as active_delta,
        1 as is_seat_day
    from seats_daily

),

per_day as (

    select
        account_id,
        date_day,
        sum(assigned_delta) as assigned_delta,
        sum(active_delta) as active_delta,
        max(is_seat_day) as is_seat_day
    from deltas_and_seat_days
    group by account_id, date_day

),

running as (

    select
        account_id,
        date_day,
        is_seat_day,
        sum(assigned_delta) over (
            partition by account_id order by date_day rows between unbounded preceding and current row
        ) as assigned_users,
        sum(active_delta) over (
            partition by account_id order by date_day rows between unbounded preceding and current row
        ) as active_users
    from per_day

),

final as (

    select
        account_id,
        date_day,
        cast(assigned_users as bigint) as assigned_users,
        cast(active_users as bigint) as active_users
    from running
    where is_seat_day = 1

)

select * from final
