{#
    Product events that passed validation: one row per event_id (repeated
    ids folded), of known users, with the UTC event date.
#}
with

source as (

    select * from {{ ref('base_license__events') }}

),

renamed as (

    select
        -- ids
        event_id,
        user_id,

        -- strings
        event_name,
        feature_name,

        -- dates
        cast(event_ts as date) as event_date,

        -- timestamps
        event_ts

    from source
    where outcome = 'kept'

)

select * from renamed
