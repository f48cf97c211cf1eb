{#
    Account x month x definition of "active": the month-snapshot
    utilization under the configured rule (`default`) and under each named
    variant of var active_definitions, side by side, so a team sees how
    much the choice of "active" moves the number. Every definition with
    the configured event lists reads its intervals from
    int_definition_activity_intervals (kept incrementally); one that names other
    event lists counts its own activity and intervals here. Each is
    clipped to the licensed users and counted on the snapshot days only.

    Incremental (macros/rules/account_days.sql): a run after the first
    computes only the months from the one of the first day a change can
    reach (the definitions are among the signed settings).
#}
{{ account_days_config('month_start', grain='month') }}
{%- set plan = account_days_plan() %}
{{ carry_plan('account_days', plan) }}
{%- set definitions = active_definitions_list() %}

with

monthly as (

    select * from {{ ref('fct_license_utilization_monthly') }}
    where {{ account_days_since(plan, 'month_start', grain='month') }}

),

all_intervals as (

    {{ active_intervals_by_definition(
        definitions,
        activity_relation=ref('int_user_activity_daily'),
        events_relation=ref('stg_license__events'),
        eligibility_relation=ref('int_user_eligibility'),
        reporting_period_relation=ref('int_reporting_period'),
        default_intervals_relation=ref('int_user_active_intervals'),
        stored_intervals_relation=ref('int_definition_activity_intervals'),
        stored_intervals_condition=account_days_since(plan, 'active_to', grain='month'),
    ) }}

),

definitions as (

    {{ definitions_table(definitions) }}

),

active_at_snapshot as (

    select
        all_intervals.definition_name,
        monthly.account_id,
        monthly.month_start,
        count(*) as active_users
    from monthly
    inner join all_intervals
        on monthly.account_id = all_intervals.account_id
            and monthly.snapshot_date >= all_intervals.active_from
            and monthly.snapshot_date <= all_intervals.active_to
    {#- only intervals that reach the months computed #}
    where {{ account_days_since(plan, 'all_intervals.active_to', grain='month') }}
    group by all_intervals.definition_name, monthly.account_id, monthly.month_start

),

combined as (

    select
        monthly.account_id,
        monthly.month_start,
        definitions.definition_name,
        definitions.definition_rule,
        monthly.snapshot_date,
        monthly.licensed_seats,
        coalesce(active_at_snapshot.active_users, 0) as active_users
    from monthly
    cross join definitions
    left join active_at_snapshot
        on monthly.account_id = active_at_snapshot.account_id
            and monthly.month_start = active_at_snapshot.month_start
            and definitions.definition_name = active_at_snapshot.definition_name

),

capped as (

    select
        *,
        case when active_users < licensed_seats then active_users else licensed_seats end as utilized_seats
    from combined

),

final as (

    select
        account_id,
        month_start,
        definition_name,
        definition_rule,
        snapshot_date,
        licensed_seats,
        cast(active_users as bigint) as active_users,
        cast(utilized_seats as bigint) as utilized_seats,
        {{ pct('utilized_seats', 'licensed_seats') }} as utilization_pct
    from capped

)

select * from final
