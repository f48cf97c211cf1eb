{#
    Every raw seat-change row, typed, with its validation outcome. A change
    must name a kept term and fall within it (start_date .. end_date);
    two different quantities for one term and day keep the larger and
    quarantine the other (duplicate_key_conflict).
#}
{%- set raw_columns = raw_table_columns()['subscription_seat_changes'] %}

with

source as (

    select * from {{ raw_table('subscription_seat_changes') }}

),

subscriptions as (

    select
        subscription_id,
        start_date,
        end_date
    from {{ ref('base_license__subscriptions') }}
    where outcome = 'kept'

),

typed as (

    select
        {{ raw_values(raw_columns) }},
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('effective_date') }} as effective_date_text,
        {{ clean_cast('effective_date', 'date') }} as effective_date,
        {{ clean_text('seats_purchased') }} as seats_purchased_text,
        {{ clean_cast('seats_purchased', 'bigint') }} as seats_purchased
    from source

),

checked as (

    select
        *,
        {{ first_failing_rule([
            ('missing_subscription_id', 'subscription_id is null'),
            ('invalid_effective_date', 'effective_date is null'),
            ('invalid_seats', 'seats_purchased is null or seats_purchased < 0'),
        ]) }} as row_rule,
        {{ row_fingerprint(['seats_purchased']) }} as fingerprint
    from typed

),

ranked as (

    {{ rank_within_key('checked', ['subscription_id', 'effective_date'], 'seats_purchased desc') }}

),

referenced as (

    select
        ranked.*,
        case
            when subscriptions.subscription_id is null then 'unknown_subscription'
            when ranked.effective_date < subscriptions.start_date
                or ranked.effective_date > subscriptions.end_date
                then 'seat_change_outside_term'
        end as reference_rule
    from ranked
    left join subscriptions
        on ranked.subscription_id = subscriptions.subscription_id

),

final as (

    {{ with_outcome('referenced', raw_columns=raw_columns, columns=[
        'subscription_id',
        'effective_date_text',
        'effective_date',
        'seats_purchased_text',
        'seats_purchased',
    ]) | indent(4) }}

)

select * from final
