with

source as (

    select * from {{ raw_table('subscriptions') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('account_id') }} as account_id,

        -- strings
        {{ clean_text('plan_name') }} as plan_name,
        {{ clean_text('plan_tier', lower=true) }} as plan_tier,
        {{ clean_text('pricing_model', lower=true) }} as pricing_model,

        -- numerics
        {{ clean_cast('seats_purchased', 'integer') }} as seats_purchased,

        -- dates
        {{ clean_cast('start_date', 'date') }} as start_date,
        {{ clean_cast('end_date', 'date') }} as end_date,
        {{ clean_cast('canceled_at', 'date') }} as canceled_at

    from source

),

deduplicated as (

    {#- One row per subscription_id; a repeated id keeps its earliest term. #}
    select
        *,
        row_number() over (
            partition by subscription_id
            order by start_date asc, seats_purchased desc
        ) as row_rank
    from renamed
    where subscription_id is not null

),

final as (

    select
        subscription_id,
        account_id,
        plan_name,
        plan_tier,
        pricing_model,
        seats_purchased,
        start_date,
        end_date,
        canceled_at,
        pricing_model in ('seat_based', 'tiered') as is_seat_based
    from deduplicated
    where row_rank = 1

)

select * from final
