{#
    Mid-term seat changes that passed validation: one per subscription and
    effective day, within the term.
#}
with

source as (

    select * from {{ ref('base_license__subscription_seat_changes') }}

),

renamed as (

    select
        -- ids
        subscription_id,

        -- numerics
        seats_purchased,

        -- dates
        effective_date

    from source
    where outcome = 'kept'

)

select * from renamed
