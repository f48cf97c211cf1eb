{#
    The renewal review list: every account whose nearest seat-based renewal
    falls within the next var pre_renewal_days days (90), worst first, with
    what a CS manager needs on one line. Compile with
        dbt compile --select renewal_review_next_90_days
    and run target/compiled/.../renewal_review_next_90_days.sql.
#}
with

health as (

    select * from {{ ref('dim_account_health') }}

),

alerts as (

    select * from {{ ref('fct_utilization_alerts') }}

),

alert_counts as (

    select
        account_id,
        count(*) as open_alerts,
        min(severity_rank) as worst_severity_rank
    from alerts
    group by account_id

),

final as (

    select
        health.renewal_date,
        health.days_to_renewal,
        health.account_id,
        health.account_name,
        health.plan_tier,
        health.licensed_seats,
        health.active_users,
        health.utilization_pct,
        health.health_band,
        health.utilization_trend_pts_per_week,
        health.most_idle_department,
        health.recommended_play,
        coalesce(alert_counts.open_alerts, 0) as open_alerts
    from health
    left join alert_counts
        on health.account_id = alert_counts.account_id
    where health.days_to_renewal between 0 and {{ var('pre_renewal_days', 90) }}

)

select * from final
order by utilization_pct asc, days_to_renewal asc
