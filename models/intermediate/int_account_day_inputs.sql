{#
    One row: what the account x day models (macros/rules/account_days.sql)
    are computed from besides the users' activity: the as_of_date, and a
    signature of the licensed users (int_user_eligibility), the kept
    subscriptions and seat changes, and the settings (every var). An
    incremental run of such a model whose last build saw another
    signature computes every row again.

    A table's signature is its row count and the sum of its rows'
    checksums (row_checksum, 32 bits each), as kept_table signs its
    inputs: no sort, so it costs a scan. A change goes unnoticed only if
    the checksums it alters still add up to the same sum (about 1 in 4
    billion for one changed row). Engines without a row_checksum hash the
    rows' sorted fingerprints instead.
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

        {%- if row_checksum_supported() %}
        {#- the row count and the sum of the rows' checksums: the order of
            the rows does not matter, so nothing is sorted #}
            select
                cast(count(*) as {{ type_text() }}) || '-'
                || cast(coalesce(sum({{ row_checksum(columns) }}), 0) as {{ type_text() }}) as signature
            from {{ name }}
        {%- else %}
        {#- the rows' fingerprints, in order, as one hash #}
        select {{ dbt.hash(dbt.listagg('row_text', "','", 'order by row_text')) }} as signature
        from (
            select cast({{ row_fingerprint(columns) }} as {{ type_text() }}) as row_text
            from {{ name }}
        ) as fingerprints
        {%- endif %}

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
