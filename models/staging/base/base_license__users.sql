{#
    Every raw user row, typed, with its validation outcome. A user of an
    account that is not kept is quarantined as unknown_account.

    Built whole or not at all (materialization kept_table, with
    rebuilt_on_change: macros/rules/unchanged_tables.sql): a run keeps the
    table as it is when the raw users, base_license__accounts and this
    model's compiled SQL are as at its last build, and otherwise builds it
    as a plain table. A daily run brings new events, rarely new users.
#}
{{ config(materialized='kept_table') }}
{%- set raw_columns = raw_table_columns()['users'] %}

{% call rebuilt_on_change(raw_tables=['users'], refs=['base_license__accounts']) %}
with

source as (

    select * from {{ raw_table('users') }}

),

accounts as (

    select account_id from {{ ref('base_license__accounts') }}
    where outcome = 'kept'

),

typed as (

    select
        {{ raw_values(raw_columns) }},
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('email', lower=true) }} as email,
        coalesce({{ clean_text('role', lower=true) }}, 'unknown') as role,  -- noqa: RF04
        coalesce({{ clean_text('department') }}, 'Unassigned') as department,
        {{ clean_text('holds_license') }} as holds_license_text,
        coalesce({{ clean_cast('holds_license', 'boolean') }}, true) as holds_license,
        {{ clean_text('created_at') }} as created_at_text,
        {{ clean_cast('created_at', 'timestamp') }} as created_at,
        {{ clean_text('deactivated_at') }} as deactivated_at_text,
        {{ clean_cast('deactivated_at', 'timestamp') }} as deactivated_at
    from source

),

checked as (

    select
        *,
        {{ first_failing_rule([
            ('missing_user_id', 'user_id is null'),
            ('missing_account_id', 'account_id is null'),
            ('invalid_created_at', 'created_at is null'),
            ('invalid_deactivated_at', 'deactivated_at_text is not null and deactivated_at is null'),
            ('invalid_holds_license', 'holds_license_text is not null and ' ~ try_cast('holds_license_text', 'boolean') ~ ' is null'),
            ('deactivated_before_created', 'deactivated_at < created_at'),
        ]) }} as row_rule,
        {{ row_fingerprint([
            'account_id', 'email', 'role', 'department', 'holds_license', 'created_at', 'deactivated_at',
        ]) }} as fingerprint
    from typed

),

ranked as (

    {{ rank_within_key('checked', ['user_id'], 'created_at, deactivated_at') }}

),

referenced as (

    {{ check_parent('ranked', 'accounts', 'account_id', 'unknown_account') }}

),

final as (

    {{ with_outcome('referenced', raw_columns=raw_columns, columns=[
        'user_id',
        'account_id',
        'email',
        'role',
        'department',
        'holds_license_text',
        'holds_license',
        'created_at_text',
        'created_at',
        'deactivated_at_text',
        'deactivated_at',
    ]) | indent(4) }}

)

select * from final
{% endcall %}
