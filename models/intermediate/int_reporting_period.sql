{#
    One row: the day the marts are "as of" (var as_of_date, else the
    latest event date of known users) and the first day any seat-based
    term starts, which bound the date spine.
#}
with

user_activity as (

    select * from {{ ref('int_user_activity_daily') }}

),

subscriptions as (

    select * from {{ ref('stg_license__subscriptions') }}

),

latest_activity as (

    select max(activity_date) as latest_activity_date
    from user_activity

),

first_term as (

    select min(start_date) as first_term_start_date
    from subscriptions
    where is_seat_based
        and start_date >= {{ date_literal(var('spine_min_date', '2000-01-01')) }}

),

final as (

    select
        {% if var('as_of_date', none) -%}
            {{ date_literal(var('as_of_date')) }}
        {%- else -%}
            latest_activity.latest_activity_date
        {%- endif %} as as_of_date,
        first_term.first_term_start_date as spine_start_date
    from latest_activity
    cross join first_term

)

select * from final
