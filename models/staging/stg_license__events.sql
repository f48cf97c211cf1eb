with

source as (

    select * from {{ raw_table('events') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('user_id') }} as user_id,

        -- strings
        {{ clean_text('event_name', lower=true) }} as event_name,
        {{ clean_text('feature_name') }} as feature_name,

        -- timestamps
        {{ clean_cast('event_ts', 'timestamp') }} as event_ts

    from source

),

deduplicated as (

    {#-
        A repeated event_id is one event (CONTRACT section 2). When the
        copies differ, the earliest one is kept.
    #}
    select
        *,
        row_number() over (
            partition by event_id
            order by event_ts, user_id, event_name, feature_name
        ) as row_rank
    from renamed
    where event_id is not null

),

final as (

    select
        event_id,
        user_id,
        event_name,
        feature_name,
        event_ts,
        cast(event_ts as date) as event_date
    from deduplicated
    where row_rank = 1

)

select * from final
