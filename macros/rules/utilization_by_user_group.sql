{#
    Account x month x <group_column> (department or role) utilization at
    each account's month snapshot (its last day with seats in the month):
    assigned_seats = eligible licensed users of the group that day,
    active_users = those of them active, utilization_pct = 100 * active /
    assigned. Rows only where the group has an assigned user that day.
    Users are matched to snapshot days with a range join on their
    intervals (account-months x intervals of that account), never a
    users x days grid.
#}
{% macro utilization_by_user_group(group_column) -%}
{{ account_days_config('month_start', grain='month') }}
{%- set plan = account_days_plan() %}
{{ carry_plan('account_days', plan) }}
with

monthly as (

    select * from {{ ref('fct_license_utilization_monthly') }}
    where {{ account_days_since(plan, 'month_start', grain='month') }}

),

eligibility as (

    select * from {{ ref('int_user_eligibility') }}

),

active_intervals as (

    select * from {{ ref('int_user_active_intervals') }}

),

assigned as (

    select
        monthly.account_id,
        monthly.month_start,
        monthly.snapshot_date,
        eligibility.{{ group_column }},
        count(*) as assigned_seats
    from monthly
    inner join eligibility
        on monthly.account_id = eligibility.account_id
        and monthly.snapshot_date >= eligibility.eligible_from
        and (eligibility.eligible_to is null or monthly.snapshot_date <= eligibility.eligible_to)
    group by monthly.account_id, monthly.month_start, monthly.snapshot_date, eligibility.{{ group_column }}

),

active as (

    select
        monthly.account_id,
        monthly.month_start,
        active_intervals.{{ group_column }},
        count(*) as active_users
    from monthly
    inner join active_intervals
        on monthly.account_id = active_intervals.account_id
        and monthly.snapshot_date >= active_intervals.active_from
        and monthly.snapshot_date <= active_intervals.active_to
    group by monthly.account_id, monthly.month_start, active_intervals.{{ group_column }}

),

final as (

    select
        assigned.account_id,
        assigned.month_start,
        assigned.{{ group_column }},
        assigned.snapshot_date,
        cast(assigned.assigned_seats as bigint) as assigned_seats,
        cast(coalesce(active.active_users, 0) as bigint) as active_users,
        {{ pct('coalesce(active.active_users, 0)', 'assigned.assigned_seats') }} as utilization_pct
    from assigned
    left join active
        on assigned.account_id = active.account_id
        and assigned.month_start = active.month_start
        and assigned.{{ group_column }} = active.{{ group_column }}

)

select * from final
{%- endmacro %}
