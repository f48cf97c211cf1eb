{#
    Helpers of the validation layer (models/staging/base): every raw row is
    either kept, merged into an identical kept row, or quarantined with the
    first rule it breaks (audit.quarantine_raw_rows).
#}

{#
    SQL: the name of the first rule whose condition holds, else null.
    rules: a list of (rule_name, sql_condition), checked in order.
#}
{% macro first_failing_rule(rules) -%}
    case
        {%- for rule_name, condition in rules %}
        when {{ condition }} then '{{ rule_name }}'
        {%- endfor %}
    end
{%- endmacro %}


{#
    SQL: the original values of a raw row as JSON text, e.g.
    {"account_id": "acc_1", "industry": null}, so a quarantined row can be
    read and fixed at its source whatever its types. (A double quote inside
    a value is shown as a single quote, which keeps the text valid JSON.)
#}
{% macro raw_record(columns, relation_alias='source', column_prefix='') -%}
    {%- set parts = ["'{'"] -%}
    {%- for column_name in columns -%}
        {%- set value = "replace(cast(" ~ relation_alias ~ "." ~ column_prefix ~ column_name ~ " as " ~ type_text() ~ "), '\"', '''')" -%}
        {%- do parts.append("'" ~ ('' if loop.first else ', ') ~ '"' ~ column_name ~ '": ' ~ "'") -%}
        {%- do parts.append("coalesce(" ~ dbt.concat(["'\"'", value, "'\"'"]) ~ ", 'null')") -%}
    {%- endfor -%}
    {%- do parts.append("'}'") -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}


{#
    SQL (select list items): every raw column of a row as it was read,
    renamed raw_<column>, for the record of a row that is not kept
    (with_outcome, and the events' exceptions, build it only for those
    rows; checked_raw_events carries them for the events).
#}
{% macro raw_values(columns, relation_alias='source') -%}
    {%- for column_name in columns -%}
        {{ relation_alias }}.{{ column_name }} as raw_{{ column_name }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#
    SQL: a 64-bit fingerprint of a row's cleaned values, to tell an exact
    duplicate (merged) from a conflicting one (quarantined) without
    comparing long strings row by row.
#}
{% macro row_fingerprint(expressions) -%}
    {{ return(adapter.dispatch('row_fingerprint', 'license_utilization')(expressions)) }}
{%- endmacro %}

{% macro default__row_fingerprint(expressions) -%}
    md5({{ dbt.concat(expressions_as_text(expressions)) }})
{%- endmacro %}

{% macro duckdb__row_fingerprint(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}

{% macro spark__row_fingerprint(expressions) -%}
    xxhash64({{ expressions | join(', ') }})
{%- endmacro %}

{% macro expressions_as_text(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ type_text() ~ "), '<null>')") -%}
    {%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}


{#
    SQL: how a row of a base model ends up, given its row-level rule, its
    rank within its key, whether it is identical to the kept row, and its
    referential rule (a copy of a row rejected for its parent is
    quarantined with it, not merged):
      'kept' | 'merged' | 'quarantined'
#}
{% macro row_outcome(row_rule='row_rule', key_rank='key_rank', is_identical='is_identical_to_kept', reference_rule='reference_rule') -%}
    case
        when {{ row_rule }} is not null then 'quarantined'
        when {{ key_rank }} > 1 and {{ is_identical }} and {{ reference_rule }} is null then 'merged'
        when {{ key_rank }} > 1 then 'quarantined'
        when {{ reference_rule }} is not null then 'quarantined'
        else 'kept'
    end
{%- endmacro %}


{# SQL: the quarantine rule of a row (null unless quarantined). #}
{% macro row_quarantine_rule(row_rule='row_rule', key_rank='key_rank', is_identical='is_identical_to_kept', reference_rule='reference_rule', duplicate_rule='duplicate_key_conflict') -%}
    case
        when {{ row_rule }} is not null then {{ row_rule }}
        when {{ key_rank }} > 1 and {{ is_identical }} then {{ reference_rule }}
        when {{ key_rank }} > 1 then '{{ duplicate_rule }}'
        else {{ reference_rule }}
    end
{%- endmacro %}


{#
    SQL (a select): rows of `relation` ranked within their key among the
    rows that pass the row-level rules (key_rank 1 = the kept row, the
    first by `order_by`), and whether each is identical to the kept row
    (same fingerprint). Rows failing a row-level rule get key_rank 0.
#}
{% macro rank_within_key(relation, key_columns, order_by) -%}
    select
        *,
        case
            when row_rule is null
                then row_number() over (
                    partition by {{ key_columns | join(', ') }}, row_rule
                    order by {{ order_by }}, fingerprint
                )
            else 0
        end as key_rank,
        fingerprint = first_value(fingerprint) over (
            partition by {{ key_columns | join(', ') }}, row_rule
            order by {{ order_by }}, fingerprint
            rows between unbounded preceding and unbounded following
        ) as is_identical_to_kept
    from {{ relation }}
{%- endmacro %}


{#
    SQL (a select): the rows of `relation` with their final outcome and
    quarantine rule. `reference_rule` must already be a column of the
    relation (null when the row's parent exists). With `columns` (the
    table's own columns: every column of the relation but the raw_<column>
    values (raw_values) and the validation columns row_rule, fingerprint,
    key_rank, is_identical_to_kept, reference_rule, which follow them) and
    `raw_columns` (the raw table's columns), those columns and `record`,
    the JSON of the original values, built only for the rows that are not
    kept: they are what the quarantine shows, and building the JSON for
    every kept row (250k users at the M scale) cost as much as the rest
    of the table.
#}
{% macro with_outcome(relation, columns=none, raw_columns=none) -%}
    select
        {%- if columns is none %}
        *,
        {%- else %}
        {%- for column in columns + ['row_rule', 'fingerprint', 'key_rank', 'is_identical_to_kept', 'reference_rule'] %}
        {{ column }},
        {%- endfor %}
        case
            when {{ row_outcome() }} <> 'kept'
                then {{ raw_record(raw_columns, relation_alias=relation, column_prefix='raw_') }}
        end as record,
        {%- endif %}
        {{ row_outcome() }} as outcome,
        {{ row_quarantine_rule() }} as quarantine_rule
    from {{ relation }}
{%- endmacro %}


{#
    SQL (a select): the rows of `relation` with reference_rule =
    `rule_name` when their `column_name` is not among the kept rows of
    `parent_relation` (same column name there).
#}
{% macro check_parent(relation, parent_relation, column_name, rule_name) -%}
    select
        {{ relation }}.*,
        case when parents.{{ column_name }} is null then '{{ rule_name }}' end as reference_rule
    from {{ relation }}
    left join {{ parent_relation }} as parents
        on {{ relation }}.{{ column_name }} = parents.{{ column_name }}
{%- endmacro %}


{#
    The keyword that makes a CTE computed once when it is read several
    times (DuckDB, Postgres 12+), or with materialized=false inlined into
    each reader (DuckDB: `not materialized`, for a cheap scan of a large
    input that is better re-read than stored); empty where it does not
    exist.
#}
{% macro materialized_cte(materialized=true) -%}
    {{ return(adapter.dispatch('materialized_cte', 'license_utilization')(materialized)) }}
{%- endmacro %}

{% macro default__materialized_cte(materialized=true) -%}{%- endmacro %}

{% macro duckdb__materialized_cte(materialized=true) -%}
    {{ 'materialized' if materialized else 'not materialized' }}
{%- endmacro %}

{% macro postgres__materialized_cte(materialized=true) -%}
    {{ 'materialized' if materialized else 'not materialized' }}
{%- endmacro %}
