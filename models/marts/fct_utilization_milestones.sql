{#
    Per seat-based term: utilization N days after purchase (day_N for each
    of var milestone_days) and pre_renewal_D days before its end
    (var pre_renewal_days; terms with an end_date only). The figure is the
    account's daily utilization on the milestone date; null when the
    milestone is not reached yet (after as_of_date) or the account had no
    seats that day.
#}
with

subscriptions as (

    select * from {{ ref('stg_license__subscriptions') }}

),

daily as (

    select * from {{ ref('fct_license_utilization_daily') }}

),

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

seat_based_terms as (

    select
        subscription_id,
        account_id,
        start_date,
        end_date
    from subscriptions
    where is_seat_based
        and start_date is not null
        and account_id is not null

),

milestones as (

    {%- for days in var('milestone_days', [30, 60, 90]) %}
        select
            subscription_id,
            account_id,
            start_date,
            end_date,
            'day_{{ days | int }}' as milestone,
            {{ days | int }} as days_from_start,
            {{ add_days('start_date', days | int) }} as milestone_date
        from seat_based_terms
        union all
    {%- endfor %}
    select
        subscription_id,
        account_id,
        start_date,
        end_date,
        'pre_renewal_{{ var('pre_renewal_days', 90) | int }}' as milestone,
        {{ days_between('start_date', add_days('end_date', -(var('pre_renewal_days', 90) | int))) }}
            as days_from_start,
        {{ add_days('end_date', -(var('pre_renewal_days', 90) | int)) }} as milestone_date
    from seat_based_terms
    where end_date is not null

),

final as (

    select
        milestones.subscription_id,
        milestones.account_id,
        milestones.milestone,
        milestones.milestone_date,
        milestones.start_date as term_start_date,
        milestones.end_date as term_end_date,
        cast(milestones.days_from_start as integer) as days_from_start,
        milestones.milestone_date <= reporting_period.as_of_date as is_reached,
        case when milestones.milestone_date <= reporting_period.as_of_date then daily.licensed_seats end
            as licensed_seats,
        case when milestones.milestone_date <= reporting_period.as_of_date then daily.active_users end
            as active_users,
        case when milestones.milestone_date <= reporting_period.as_of_date then daily.utilization_pct end
            as utilization_pct,
        case when milestones.milestone_date <= reporting_period.as_of_date then daily.health_band end
            as health_band
    from milestones
    cross join reporting_period
    left join daily
        on milestones.account_id = daily.account_id
            and milestones.milestone_date = daily.date_day

)

select * from final
