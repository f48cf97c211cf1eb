{#
    Department and role rows partition the account's seat holders: at each
    month snapshot, their assigned_seats and active_users add up to the
    account's assigned_seats and active_users. Returns the months that do not.
#}
with

monthly as (

    select * from {{ ref('fct_license_utilization_monthly') }}

),

by_department as (

    select * from {{ ref('fct_utilization_by_department') }}

),

by_role as (

    select * from {{ ref('fct_utilization_by_role') }}

),

group_totals as (

    select
        'department' as breakdown,
        account_id,
        month_start,
        sum(assigned_seats) as assigned_seats,
        sum(active_users) as active_users
    from by_department
    group by account_id, month_start

    union all

    select
        'role' as breakdown,
        account_id,
        month_start,
        sum(assigned_seats) as assigned_seats,
        sum(active_users) as active_users
    from by_role
    group by account_id, month_start

),

breakdowns as (

    select 'department' as breakdown
    union all
    select 'role' as breakdown

),

expected as (

    select
        breakdowns.breakdown,
        monthly.account_id,
        monthly.month_start,
        monthly.assigned_seats,
        monthly.active_users
    from monthly
    cross join breakdowns

),

final as (

    select
        expected.breakdown,
        expected.account_id,
        expected.month_start,
        expected.assigned_seats as account_assigned_seats,
        expected.active_users as account_active_users,
        coalesce(group_totals.assigned_seats, 0) as group_assigned_seats,
        coalesce(group_totals.active_users, 0) as group_active_users
    from expected
    left join group_totals
        on expected.breakdown = group_totals.breakdown
            and expected.account_id = group_totals.account_id
            and expected.month_start = group_totals.month_start
    where expected.assigned_seats <> coalesce(group_totals.assigned_seats, 0)
        or expected.active_users <> coalesce(group_totals.active_users, 0)

)

select * from final
