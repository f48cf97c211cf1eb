{#
    Fails the build when a quarantine rule named in var quarantine_error_rules
    fired (or any rule, with [all]), or when a raw table lost more than var
    quarantine_error_share of its rows to quarantine. Returns the offending
    table and rule with counts.
#}
{%- set error_rules = var('quarantine_error_rules', []) or [] -%}
{%- if error_rules is string -%}{%- set error_rules = [error_rules] -%}{%- endif -%}
{%- set error_share = var('quarantine_error_share', none) %}

with

quarantine as (

    select * from {{ ref('quarantine_raw_rows') }}

),

audit as (

    select * from {{ ref('audit_raw_rows') }}

),

blocking_rules as (

    select
        table_name,
        rule,
        count(*) as quarantined_rows,
        'rule listed in var quarantine_error_rules' as reason
    from quarantine
    where
        {% if 'all' in error_rules -%}
            true
        {%- elif error_rules | length > 0 -%}
            rule in {{ sql_name_list(error_rules) }}
        {%- else -%}
            false
        {%- endif %}
    group by table_name, rule

),

blocking_shares as (

    select
        table_name,
        'any' as rule,
        rows_quarantined as quarantined_rows,
        'share of rows quarantined above var quarantine_error_share' as reason
    from audit
    where
        {% if error_share is not none -%}
            rows_quarantined > {{ error_share }} * rows_read
        {%- else -%}
            false
        {%- endif %}

),

final as (

    select * from blocking_rules
    union all
    select * from blocking_shares

)

select * from final
