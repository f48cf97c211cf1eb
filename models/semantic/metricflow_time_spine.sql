{#
    The time spine MetricFlow joins metrics to (one row per day).
    It is the project's own calendar, int_date_spine, so the semantic layer
    covers exactly the days the marts do; it is portable because
    int_date_spine is built with the cross-database `day_series` macro.
#}
with

date_spine as (

    select * from {{ ref('int_date_spine') }}

),

final as (

    select date_day
    from date_spine

)

select * from final
