with

source as (

    select * from {{ raw_table('subscription_seat_changes') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('subscription_id') }} as subscription_id,

        -- numerics
        {{ clean_cast('seats_purchased', 'integer') }} as seats_purchased,

        -- dates
        {{ clean_cast('effective_date', 'date') }} as effective_date

    from source

),

deduplicated as (

    {#-
        One quantity per subscription and day. Two different quantities
        for the same day keep the larger one (the vendor's invoice wins).
    #}
    select
        *,
        row_number() over (
            partition by subscription_id, effective_date
            order by seats_purchased desc
        ) as row_rank
    from renamed
    where subscription_id is not null and effective_date is not null

),

final as (

    select
        subscription_id,
        seats_purchased,
        effective_date
    from deduplicated
    where row_rank = 1

)

select * from final
