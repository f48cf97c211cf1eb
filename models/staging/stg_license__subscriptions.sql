{#
    Contract terms that passed validation (base_license__subscriptions):
    one row per subscription_id; enumerations lower case.
#}
with

source as (

    select * from {{ ref('base_license__subscriptions') }}

),

renamed as (

    select
        -- ids
        subscription_id,
        account_id,

        -- strings
        plan_name,
        plan_tier,
        pricing_model,

        -- numerics
        seats_purchased,

        -- dates
        start_date,
        end_date,
        canceled_at,

        -- booleans
        pricing_model in ('seat_based', 'tiered') as is_seat_based

    from source
    where outcome = 'kept'

)

select * from renamed
