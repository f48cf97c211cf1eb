{#
    A QBR brief for one account (var qbr_account_id, default acc_004):
    the headline, the monthly trend, departments and roles at the latest
    month, milestones, and how it compares with its peers, as one list of
    (section, item, value) lines ready for a slide.
        dbt compile --select qbr_brief --vars '{qbr_account_id: acc_007}'
#}
{%- set account_id = var('qbr_account_id', 'acc_004') %}

with

health as (

    select * from {{ ref('dim_account_health') }}
    where account_id = '{{ account_id }}'

),

monthly as (

    select * from {{ ref('fct_license_utilization_monthly') }}
    where account_id = '{{ account_id }}'

),

by_department as (

    select * from {{ ref('fct_utilization_by_department') }}
    where account_id = '{{ account_id }}'

),

by_role as (

    select * from {{ ref('fct_utilization_by_role') }}
    where account_id = '{{ account_id }}'

),

milestones as (

    select * from {{ ref('fct_utilization_milestones') }}
    where account_id = '{{ account_id }}'

),

cohorts as (

    select * from {{ ref('fct_utilization_by_cohort') }}

),

latest_month as (

    select max(month_start) as month_start from monthly

),

lines as (

    select
        1 as section_order,
        'headline' as section,
        'utilization' as item,
        {{ dbt.concat([
            format_number('utilization_pct'),
            "'% ('",
            'health_band',
            "'), '",
            format_number('active_users', 0),
            "' active of '",
            format_number('licensed_seats', 0),
            "' seats'"
        ]) }} as value
    from health

    union all

    select
        1 as section_order,
        'headline' as section,
        'renewal' as item,
        {{ dbt.concat([
            "cast(renewal_date as " ~ type_text() ~ ")",
            "' (in '",
            format_number('days_to_renewal', 0),
            "' days); play: '",
            'recommended_play'
        ]) }} as value
    from health

    union all

    select
        2 as section_order,
        'trend' as section,
        cast(month_start as {{ type_text() }}) as item,
        {{ dbt.concat([
            format_number('utilization_pct'),
            "'% (avg '",
            format_number('avg_utilization_pct'),
            "'%, '",
            format_number('active_users', 0),
            "' of '",
            format_number('licensed_seats', 0),
            "')'"
        ]) }} as value
    from monthly

    union all

    select
        3 as section_order,
        'departments' as section,
        by_department.department as item,
        {{ dbt.concat([
            format_number('by_department.utilization_pct'),
            "'% ('",
            format_number('by_department.active_users', 0),
            "' of '",
            format_number('by_department.assigned_seats', 0),
            "' seat holders)'"
        ]) }} as value
    from by_department
    inner join latest_month
        on by_department.month_start = latest_month.month_start

    union all

    select
        4 as section_order,
        'roles' as section,
        by_role.role as item,
        {{ dbt.concat([
            format_number('by_role.utilization_pct'),
            "'% ('",
            format_number('by_role.active_users', 0),
            "' of '",
            format_number('by_role.assigned_seats', 0),
            "')'"
        ]) }} as value
    from by_role
    inner join latest_month
        on by_role.month_start = latest_month.month_start

    union all

    select
        5 as section_order,
        'milestones' as section,
        {{ dbt.concat([
            'subscription_id',
            "' '",
            'milestone'
        ]) }} as item,
        {%- set milestone_day = "cast(milestone_date as " ~ type_text() ~ ")" %}
        case
            when is_reached then {{ dbt.concat([format_number('utilization_pct'), "'% on '", milestone_day]) }}
            else {{ dbt.concat(["'due '", milestone_day]) }}
        end as value
    from milestones

    union all

    select
        6 as section_order,
        'peers' as section,
        {{ dbt.concat([
            'cohorts.cohort_type',
            "' = '",
            'cohorts.cohort_value'
        ]) }} as item,
        {{ dbt.concat([
            format_number('cohorts.utilization_pct'),
            "'% weighted, median '",
            format_number('cohorts.median_account_utilization_pct'),
            "'% over '",
            format_number('cohorts.accounts', 0),
            "' accounts'"
        ]) }} as value
    from cohorts
    inner join latest_month
        on cohorts.month_start = latest_month.month_start
    inner join health
        on (cohorts.cohort_type = 'industry' and cohorts.cohort_value = health.industry)
            or (cohorts.cohort_type = 'size_band' and cohorts.cohort_value = health.size_band)
            or (cohorts.cohort_type = 'plan_tier' and cohorts.cohort_value = health.plan_tier)

)

select * from lines
order by section_order, item
