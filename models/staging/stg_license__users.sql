{#
    Users that passed validation: one row per user_id; role lower case
    (null -> unknown), department null -> Unassigned, holds_license
    null -> true.
#}
with

source as (

    select * from {{ ref('base_license__users') }}

),

renamed as (

    select
        -- ids
        user_id,
        account_id,

        -- strings
        email,
        role,
        department,

        -- booleans
        holds_license,

        -- dates
        cast(created_at as date) as created_date,
        cast(deactivated_at as date) as deactivated_date,

        -- timestamps
        created_at,
        deactivated_at

    from source
    where outcome = 'kept'

)

select * from renamed
