{#
    Finding repeated keys among many rows (the event ids, the keys of the
    grain test unique_combination_of_columns): a 64-bit hash of the key,
    and the values that occur more than once. Performance choices, not
    syntax ones: every version is exact.
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
    more than once are among the rows whose short hash does, and an exact
    pass over those rows finds them. Collisions add rows: a share of about
    1 - e^(-n / 2^32) of n keys, 1.2% at 50M, 4.6% at 200M, 21% at 1,000M
    (short_key_hash_pays decides). Elsewhere the key_hash itself.
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
    Whether a first pass over the keys of `relation` (a relation or a
    reader, e.g. raw_table('events')) should sort short_key_hash rather
    than key_hash, looked up when the model compiles. On DuckDB, sorting
    4-byte values instead of 8-byte ones saves ~0.7 s per 50M keys, but
    the rows that collisions add must be cleaned, checked and probed: at
    50M events (~580k more rows) the exceptions took 6.39 s instead of
    6.55 s, at 200M (~9M more) as long either way (29.9 / 29.5 s, best of
    two), and beyond that the collisions' rows grow faster than the keys.
    So only up to 100M rows, and only where counting reads no rows
    (Parquet files, a DuckDB table).
    False on other engines (their short_key_hash is the key_hash).
#}
{% macro short_key_hash_pays(relation) -%}
    {{ return(adapter.dispatch('short_key_hash_pays', 'license_utilization')(relation)) }}
{%- endmacro %}

{% macro default__short_key_hash_pays(relation) -%}
    {{ return(false) }}
{%- endmacro %}

{% macro duckdb__short_key_hash_pays(relation) -%}
    {#- a Parquet reader or a table counts its rows from metadata; a CSV
        reader would read the whole file (no count, no short hash), and a
        table that does not exist yet (a compile before the first build,
        the linter) has none to count #}
    {%- if not execute -%}
        {{ return(false) }}
    {%- elif relation is string -%}
        {%- set countable = (relation | trim).startswith('read_parquet(') -%}
    {%- else -%}
        {%- set countable = load_relation(relation) is not none -%}
    {%- endif -%}
    {%- if not countable -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set row_count = run_query('select count(*) as row_count from ' ~ relation).rows[0]['row_count'] -%}
    {{ return(row_count <= 100000000) }}
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

{#
    Whether this target has a row_checksum: true for each engine with its
    own version below. Add one beside a new <engine>__row_checksum, and the
    checks that need checksums (build_signature_supported) follow.
#}
{% macro row_checksum_supported() -%}
    {{ return(adapter.dispatch('row_checksum_supported', 'license_utilization')()) }}
{%- endmacro %}

{% macro default__row_checksum_supported() -%}
    {{ return(false) }}
{%- endmacro %}

{% macro default__row_checksum(expressions) -%}
    {{ exceptions.raise_compiler_error(
        "row_checksum has no version for target type '" ~ target.type ~ "' (base_license__event_days "
        ~ "signs each event day with it). Add a " ~ target.type ~ "__row_checksum macro (and a "
        ~ target.type ~ "__row_checksum_supported returning true), or set the var "
        ~ "event_day_checksum to false: incremental runs then notice only changed row counts."
    ) }}
{%- endmacro %}

{% macro duckdb__row_checksum(expressions) -%}
    cast(hash({{ expressions | join(', ') }}) % 4294967296 as bigint)
{%- endmacro %}

{% macro duckdb__row_checksum_supported() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro postgres__row_checksum(expressions) -%}
    (hashtextextended({{ dbt.concat(expressions_as_text(expressions)) }}, 0) & 4294967295)
{%- endmacro %}

{% macro postgres__row_checksum_supported() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro spark__row_checksum(expressions) -%}
    pmod(xxhash64({{ expressions | join(', ') }}), 4294967296)
{%- endmacro %}

{% macro spark__row_checksum_supported() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro snowflake__row_checksum(expressions) -%}
    bitand(hash({{ expressions | join(', ') }}), 4294967295)
{%- endmacro %}

{% macro snowflake__row_checksum_supported() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro bigquery__row_checksum(expressions) -%}
    (farm_fingerprint({{ dbt.concat(expressions_as_text(expressions)) }}) & 4294967295)
{%- endmacro %}

{% macro bigquery__row_checksum_supported() -%}
    {{ return(true) }}
{%- endmacro %}
