{#
    Month x cohort: accounts grouped by industry, size band, plan tier and
    purchase cohort (month of the first seat-based term), from each
    account's month snapshot. utilization_pct is weighted by seats
    (100 * sum utilized / sum licensed); the median is over the accounts.
#}
with

monthly as (

    select * from {{ ref('fct_license_utilization_monthly') }}

),

profiles as (

    select * from {{ ref('int_account_profile') }}

),

plan_tiers as (

    select * from {{ ref('int_account_plan_tier_monthly') }}

),

snapshots as (

    select
        monthly.account_id,
        monthly.month_start,
        monthly.licensed_seats,
        monthly.utilized_seats,
        monthly.utilization_pct,
        monthly.health_band,
        profiles.industry,
        profiles.size_band,
        profiles.purchase_cohort,
        coalesce(plan_tiers.plan_tier, 'unknown') as plan_tier
    from monthly
    inner join profiles
        on monthly.account_id = profiles.account_id
    left join plan_tiers
        on monthly.account_id = plan_tiers.account_id
            and monthly.month_start = plan_tiers.month_start

),

cohort_members as (

    {%- for cohort_type in ['industry', 'size_band', 'plan_tier', 'purchase_cohort'] %}
        select
            month_start,
            '{{ cohort_type }}' as cohort_type,
            coalesce({{ cohort_type }}, 'Unknown') as cohort_value,
            account_id,
            licensed_seats,
            utilized_seats,
            utilization_pct,
            health_band
        from snapshots
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        month_start,
        cohort_type,
        cohort_value,
        cast(count(*) as bigint) as accounts,  -- noqa: RF04
        cast(sum(licensed_seats) as bigint) as licensed_seats,
        cast(sum(utilized_seats) as bigint) as utilized_seats,
        {{ pct('sum(utilized_seats)', 'sum(licensed_seats)') }} as utilization_pct,
        cast({{ median('utilization_pct') }} as {{ type_double() }}) as median_account_utilization_pct,
        cast(sum(case when health_band = 'strong' then 1 else 0 end) as bigint) as strong_accounts,
        cast(sum(case when health_band = 'healthy' then 1 else 0 end) as bigint) as healthy_accounts,
        cast(sum(case when health_band = 'at_risk' then 1 else 0 end) as bigint) as at_risk_accounts
    from cohort_members
    group by month_start, cohort_type, cohort_value

)

select * from final
