{#
    Accounts that passed validation (base_license__accounts): one row per
    account_id, typed and trimmed, industry null -> Unknown.
#}
with

source as (

    select * from {{ ref('base_license__accounts') }}

),

renamed as (

    select
        -- ids
        account_id,

        -- strings
        account_name,
        industry,
        region,

        -- numerics
        employee_count,

        -- timestamps
        created_at

    from source
    where outcome = 'kept'

)

select * from renamed
