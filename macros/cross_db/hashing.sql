{#
    Finding repeated keys among many rows (the event ids): a 64-bit hash of
    the key, and the values that occur more than once. Performance choices,
    not syntax ones: every version is exact.
#}

{#
    SQL (a select of `column`): the values of `column` in `relation` that
    occur more than once. On DuckDB by sorting them (a repeated value
    follows itself): for 50M 64-bit hashes about 3 s less than grouping
    them, with half the memory. Elsewhere a group-by: a window ordered over
    every row, with no partition, runs on a single worker on Spark and
    BigQuery.
#}
{% macro repeated_values(relation, column) -%}
    {{ return(adapter.dispatch('repeated_values', 'license_utilization')(relation, column)) }}
{%- endmacro %}

{% macro default__repeated_values(relation, column) -%}
    select {{ column }}
    from {{ relation }}
    group by {{ column }}
    having count(*) > 1
{%- endmacro %}

{% macro duckdb__repeated_values(relation, column) -%}
    select distinct {{ column }}
    from (
        select
            {{ column }},
            lag({{ column }}) over (order by {{ column }}) as previous_value
        from {{ relation }}
    ) as sorted_values
    where {{ column }} = previous_value
{%- endmacro %}


{#
    SQL: a 64-bit hash of a key, to sort, group or match many rows cheaply;
    engines without a fast hash use the key itself (still exact).
#}
{% macro key_hash(expression) -%}
    {{ return(adapter.dispatch('key_hash', 'license_utilization')(expression)) }}
{%- endmacro %}

{% macro default__key_hash(expression) -%}
    {{ expression }}
{%- endmacro %}

{% macro duckdb__key_hash(expression) -%}
    hash({{ expression }})
{%- endmacro %}

{% macro spark__key_hash(expression) -%}
    xxhash64({{ expression }})
{%- endmacro %}


{#
    SQL: a short (32-bit) hash of a key, for a first pass that only picks
    candidates: equal keys have equal short hashes, so the keys that occur
    more than once are among the rows whose short hash does (with about
    six times as many rows again at 50M keys, from collisions), and an
    exact pass over those few rows finds them. On DuckDB sorting 4-byte
    values instead of 8-byte ones takes ~0.7 s off 50M keys. Elsewhere the
    key_hash itself (no first pass to save on).
#}
{% macro short_key_hash(expression) -%}
    {{ return(adapter.dispatch('short_key_hash', 'license_utilization')(expression)) }}
{%- endmacro %}

{% macro default__short_key_hash(expression) -%}
    {{ key_hash(expression) }}
{%- endmacro %}

{% macro duckdb__short_key_hash(expression) -%}
    cast(hash({{ expression }}) >> 32 as uinteger)
{%- endmacro %}


{#
    SQL: a checksum of one row's `expressions`, an integer in 0 .. 2^32-1,
    for an order-independent sum per group (base_license__event_days signs
    each day of a warehouse table so: a row corrected in place changes its
    day's sum, except with a chance of one in 2^32). The sum of up to 2^31
    rows fits a bigint on every engine.
#}
{% macro row_checksum(expressions) -%}
    {{ return(adapter.dispatch('row_checksum', 'license_utilization')(expressions)) }}
{%- endmacro %}

{% macro default__row_checksum(expressions) -%}
    {{ exceptions.raise_compiler_error(
        "row_checksum has no version for target type '" ~ target.type ~ "' (base_license__event_days "
        ~ "signs each event day with it). Add a " ~ target.type ~ "__row_checksum macro, or set the var "
        ~ "event_day_checksum to false: incremental runs then notice only changed row counts."
    ) }}
{%- endmacro %}

{% macro duckdb__row_checksum(expressions) -%}
    cast(hash({{ expressions | join(', ') }}) % 4294967296 as bigint)
{%- endmacro %}

{% macro postgres__row_checksum(expressions) -%}
    (hashtextextended({{ dbt.concat(expressions_as_text(expressions)) }}, 0) & 4294967295)
{%- endmacro %}

{% macro spark__row_checksum(expressions) -%}
    pmod(xxhash64({{ expressions | join(', ') }}), 4294967296)
{%- endmacro %}

{% macro snowflake__row_checksum(expressions) -%}
    bitand(hash({{ expressions | join(', ') }}), 4294967295)
{%- endmacro %}

{% macro bigquery__row_checksum(expressions) -%}
    (farm_fingerprint({{ dbt.concat(expressions_as_text(expressions)) }}) & 4294967295)
{%- endmacro %}
