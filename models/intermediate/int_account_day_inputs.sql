{#
    One row: what the account x day models (macros/rules/account_days.sql)
    are computed from besides the users' activity: the as_of_date, and a
    signature of the licensed users (int_user_eligibility), the kept
    subscriptions and seat changes, and the settings (every var). An
    incremental run of such a model whose last build saw another
    signature computes every row again.
#}
{%- set signed_inputs = [
    ('eligibility', ['user_id', 'account_id', 'department', 'role', 'eligible_from', 'eligible_to']),
    ('subscriptions', [
        'subscription_id', 'account_id', 'plan_name', 'plan_tier', 'pricing_model', 'seats_purchased',
        'start_date', 'end_date', 'canceled_at',
    ]),
    ('seat_changes', ['subscription_id', 'seats_purchased', 'effective_date']),
] %}

with

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

eligibility as (

    select * from {{ ref('int_user_eligibility') }}

),

subscriptions as (

    select * from {{ ref('stg_license__subscriptions') }}

),

seat_changes as (

    select * from {{ ref('stg_license__subscription_seat_changes') }}

),

{% for name, columns in signed_inputs %}
    {{ name }}_signature as (

        {#- the rows' fingerprints, in order, as one hash #}
        select {{ dbt.hash(dbt.listagg('row_text', "','", 'order by row_text')) }} as signature
        from (
            select cast({{ row_fingerprint(columns) }} as {{ type_text() }}) as row_text
            from {{ name }}
        ) as fingerprints

    ),

{% endfor %}

final as (

    select
        reporting_period.as_of_date,
        {{ dbt.hash(dbt.concat([
            "coalesce(eligibility_signature.signature, '')",
            "'|'",
            "coalesce(subscriptions_signature.signature, '')",
            "'|'",
            "coalesce(seat_changes_signature.signature, '')",
            "'|'",
            "'" ~ (account_days_settings() | replace("'", "''")) ~ "'",
        ])) }} as inputs_signature
    from reporting_period
    cross join eligibility_signature
    cross join subscriptions_signature
    cross join seat_changes_signature

)

select * from final
