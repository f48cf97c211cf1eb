{#
    Every raw subscription (contract term) row, typed, with its validation
    outcome (kept / merged / quarantined and the first rule it breaks).
    A term of an account that is not kept is quarantined as unknown_account.
#}
{%- set raw_columns = raw_table_columns()['subscriptions'] %}

with

source as (

    select * from {{ raw_table('subscriptions') }}

),

accounts as (

    select account_id from {{ ref('base_license__accounts') }}
    where outcome = 'kept'

),

typed as (

    select
        {{ raw_values(raw_columns) }},
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('plan_name') }} as plan_name,
        {{ clean_text('plan_tier', lower=true) }} as plan_tier,
        {{ clean_text('pricing_model', lower=true) }} as pricing_model,
        {{ clean_text('seats_purchased') }} as seats_purchased_text,
        {{ clean_cast('seats_purchased', 'bigint') }} as seats_purchased,
        {{ clean_text('start_date') }} as start_date_text,
        {{ clean_cast('start_date', 'date') }} as start_date,
        {{ clean_text('end_date') }} as end_date_text,
        {{ clean_cast('end_date', 'date') }} as end_date,
        {{ clean_text('canceled_at') }} as canceled_at_text,
        {{ clean_cast('canceled_at', 'date') }} as canceled_at
    from source

),

checked as (

    select
        *,
        {{ first_failing_rule([
            ('missing_subscription_id', 'subscription_id is null'),
            ('missing_account_id', 'account_id is null'),
            ('invalid_start_date', 'start_date is null'),
            ('invalid_end_date', 'end_date_text is not null and end_date is null'),
            ('invalid_canceled_at', 'canceled_at_text is not null and canceled_at is null'),
            ('unknown_pricing_model', "pricing_model is null or pricing_model not in ('seat_based', 'tiered', 'usage_based')"),
            ('invalid_seats', '(seats_purchased_text is not null and seats_purchased is null) or seats_purchased < 0'),
            ('seat_based_without_seats', "seats_purchased is null and pricing_model in ('seat_based', 'tiered')"),
            ('end_before_start', 'end_date < start_date'),
        ]) }} as row_rule,
        {{ row_fingerprint([
            'account_id', 'plan_name', 'plan_tier', 'pricing_model', 'seats_purchased',
            'start_date', 'end_date', 'canceled_at',
        ]) }} as fingerprint
    from typed

),

ranked as (

    {{ rank_within_key('checked', ['subscription_id'], 'start_date, seats_purchased desc') }}

),

referenced as (

    {{ check_parent('ranked', 'accounts', 'account_id', 'unknown_account') }}

),

final as (

    {{ with_outcome('referenced', raw_columns=raw_columns, columns=[
        'subscription_id',
        'account_id',
        'plan_name',
        'plan_tier',
        'pricing_model',
        'seats_purchased_text',
        'seats_purchased',
        'start_date_text',
        'start_date',
        'end_date_text',
        'end_date',
        'canceled_at_text',
        'canceled_at',
    ]) | indent(4) }}

)

select * from final
