{#
    Every raw account row, typed, with its validation outcome: kept,
    merged (an identical copy of a kept row) or quarantined (the first
    rule it breaks). stg_license__accounts keeps the `kept` rows;
    audit.quarantine_raw_rows lists the quarantined ones.
#}
{%- set raw_columns = raw_table_columns()['accounts'] %}

with

source as (

    select * from {{ raw_table('accounts') }}

),

typed as (

    select
        {{ raw_values(raw_columns) }},
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('account_name') }} as account_name,
        coalesce({{ clean_text('industry') }}, 'Unknown') as industry,
        {{ clean_text('region') }} as region,
        {{ clean_text('employee_count') }} as employee_count_text,
        {{ clean_cast('employee_count', 'bigint') }} as employee_count,
        {{ clean_text('created_at') }} as created_at_text,
        {{ clean_cast('created_at', 'timestamp') }} as created_at
    from source

),

checked as (

    select
        *,
        {{ first_failing_rule([
            ('missing_account_id', 'account_id is null'),
            ('invalid_employee_count', '(employee_count_text is not null and employee_count is null) or employee_count < 0'),
            ('invalid_created_at', 'created_at_text is not null and created_at is null'),
        ]) }} as row_rule,
        {{ row_fingerprint(['account_name', 'industry', 'region', 'employee_count', 'created_at']) }} as fingerprint
    from typed

),

ranked as (

    {{ rank_within_key('checked', ['account_id'], 'created_at, account_name') }}

),

unreferenced as (

    {#- accounts have no parent table #}
    select
        *,
        cast(null as {{ type_text() }}) as reference_rule
    from ranked

),

final as (

    {{ with_outcome('unreferenced', raw_columns=raw_columns, columns=[
        'account_id',
        'account_name',
        'industry',
        'region',
        'employee_count_text',
        'employee_count',
        'created_at_text',
        'created_at',
    ]) | indent(4) }}

)

select * from final
