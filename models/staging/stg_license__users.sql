with

source as (

    select * from {{ raw_table('users') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('account_id') }} as account_id,

        -- strings
        {{ clean_text('email', lower=true) }} as email,
        coalesce({{ clean_text('role', lower=true) }}, 'unknown') as role,  -- noqa: RF04
        coalesce({{ clean_text('department') }}, 'Unassigned') as department,

        -- booleans
        coalesce({{ clean_cast('holds_license', 'boolean') }}, true) as holds_license,

        -- timestamps
        {{ clean_cast('created_at', 'timestamp') }} as created_at,
        {{ clean_cast('deactivated_at', 'timestamp') }} as deactivated_at

    from source

),

deduplicated as (

    {#- One row per user_id; a repeated id keeps its earliest-provisioned row. #}
    select
        *,
        row_number() over (
            partition by user_id
            order by created_at, deactivated_at
        ) as row_rank
    from renamed
    where user_id is not null

),

final as (

    select
        user_id,
        account_id,
        email,
        role,
        department,
        holds_license,
        created_at,
        deactivated_at,
        cast(created_at as date) as created_date,
        cast(deactivated_at as date) as deactivated_date
    from deduplicated
    where row_rank = 1

)

select * from final
