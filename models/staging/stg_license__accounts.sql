with

source as (

    select * from {{ raw_table('accounts') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('account_id') }} as account_id,

        -- strings
        {{ clean_text('account_name') }} as account_name,
        coalesce({{ clean_text('industry') }}, 'Unknown') as industry,
        {{ clean_text('region') }} as region,

        -- numerics
        {{ clean_cast('employee_count', 'integer') }} as employee_count,

        -- timestamps
        {{ clean_cast('created_at', 'timestamp') }} as created_at

    from source

),

deduplicated as (

    {#- One row per account_id; a repeated id keeps its earliest-created row. #}
    select
        *,
        row_number() over (
            partition by account_id
            order by created_at, account_name
        ) as row_rank
    from renamed
    where account_id is not null

),

final as (

    select
        account_id,
        account_name,
        industry,
        region,
        employee_count,
        created_at
    from deduplicated
    where row_rank = 1

)

select * from final
