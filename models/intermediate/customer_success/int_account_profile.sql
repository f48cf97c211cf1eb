{#
    One row per account with the attributes cohorts are cut by: industry,
    size band (var size_bands), and the purchase cohort (month of the
    account's first seat-based or tiered term).
#}
with

accounts as (

    select * from {{ ref('stg_license__accounts') }}

),

subscriptions as (

    select * from {{ ref('stg_license__subscriptions') }}

),

first_terms as (

    select
        account_id,
        min(start_date) as first_term_start_date
    from subscriptions
    where is_seat_based
    group by account_id

),

final as (

    select
        accounts.account_id,
        accounts.account_name,
        accounts.industry,
        accounts.region,
        accounts.employee_count,
        {{ size_band('accounts.employee_count') }} as size_band,
        first_terms.first_term_start_date,
        substr(cast({{ month_start('first_terms.first_term_start_date') }} as {{ type_text() }}), 1, 7)
            as purchase_cohort
    from accounts
    left join first_terms
        on accounts.account_id = first_terms.account_id

)

select * from final
