{# One row per day from the first seat-based term start to as_of_date. #}
with

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

bounded as (

    select
        spine_start_date,
        as_of_date
    from reporting_period
    where spine_start_date <= as_of_date

),

days as (

    select date_day
    from {{ day_series('bounded', 'spine_start_date', 'as_of_date') }} as series

),

final as (

    select
        date_day,
        {{ month_start('date_day') }} as month_start
    from days

)

select * from final
