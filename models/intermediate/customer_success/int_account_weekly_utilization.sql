{#
    Weekly utilization per account: the mean of the daily utilization_pct
    over the week's days with seats (ISO weeks, Monday start). The input of
    the trend model.
#}
with

daily as (

    select * from {{ ref('fct_license_utilization_daily') }}

),

final as (

    select
        account_id,
        {{ week_start('date_day') }} as week_start,
        count(*) as days_with_seats,
        cast(avg(utilization_pct) as {{ type_double() }}) as utilization_pct
    from daily
    group by account_id, {{ week_start('date_day') }}

)

select * from final
