{#
    Onboarding by purchase cohort: for terms started in each month, the
    median utilization at each reached day_N milestone and how many terms
    were below the at-risk threshold there. Shows whether enablement is
    getting better for newer customers.
#}
with

milestones as (

    select * from {{ ref('fct_utilization_milestones') }}

),

reached as (

    select
        {{ month_start('term_start_date') }} as purchase_month,
        milestone,
        days_from_start,
        utilization_pct
    from milestones
    where is_reached
        and milestone like 'day_%'
        and utilization_pct is not null

),

final as (

    select
        purchase_month,
        milestone,
        count(*) as terms,
        {{ median('utilization_pct') }} as median_utilization_pct,
        sum(case when utilization_pct < {{ var('at_risk_utilization_pct', 60) }} then 1 else 0 end)
            as terms_at_risk
    from reached
    group by purchase_month, milestone, days_from_start

)

select * from final
order by purchase_month, milestone
