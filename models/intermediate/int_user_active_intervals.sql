{#
    The configured "active" rule (CONTRACT section 3, the active_* vars)
    as intervals of days on which each eligible, licensed user is active:
    the `default` intervals of int_user_activity_intervals (see the macro
    activity_intervals_sql for how they are computed), clipped to each
    user's eligibility and to as_of_date.
#}
with

default_intervals as (

    select
        user_id,
        active_from,
        active_to
    from {{ ref('int_user_activity_intervals') }}
    where definition_name = 'default'

),

clipped as (

    {{ clip_to_eligibility_sql(
        'default_intervals',
        ref('int_user_eligibility'),
        ref('int_reporting_period'),
    ) | indent(4) }}

),

final as (

    select * from clipped

)

select * from final
