{#
    Tables kept as they are when nothing they are computed from changed.
    base_license__users is one: it was rebuilt from the whole raw users
    table on every run, though a daily run brings new events and rarely new
    users, and it is 0.6 s of every incremental run at the M scale (250k
    users), growing with the users. (The accounts, subscriptions and seat
    changes were tried too: a few thousand rows rebuild faster than the
    incremental materialization and the check take, about 0.1 s.)

    What a table is computed from is its compiled SQL, which holds every
    macro and var it uses and the relations it reads, and what its inputs
    hold. So the model wraps its SQL in a call block:

        {% call rebuilt_on_change(raw_tables=['users'], refs=['base_license__accounts']) %}
            with ... select * from final
        {% endcall %}

    and the table's build signature is the md5 of that compiled SQL, headed
    by the inputs' contents: of each raw table and each ref, its row count
    and the sum of a checksum of each row (row_checksum). An incremental
    run whose signature is the stored one selects no row and replaces none
    (strategy replace_stale); any other run selects every row and replaces
    all the table's rows. A --full-refresh rebuilds as usual.

    The signature holds no date: such a table must depend on no clock. A
    model whose SQL holds the run's time gets a new signature every run and
    is rebuilt every run: never wrong, only not faster. A change that
    leaves every count and checksum sum as it was goes unseen, with a
    chance of one in 2^32, as for the event days (event_day_checksum).
    Rebuilt every run, as before: on engines without a row_checksum or with
    var event_day_checksum false, and on Spark (a table there).
#}


{#
    The configuration of a rebuilt_on_change table: incremental (strategy
    replace_stale, rebuilt_table_stale_rows); on_schema_change
    sync_all_columns, since a changed column list comes with a new
    signature, and every row is then replaced anyway (and a table from
    before these columns gets them). A table on Spark, as the other
    incremental models: rebuilt every run.
#}
{% macro rebuilt_on_change_config() -%}
    {{ config(
        materialized='table' if target.type in ['spark', 'databricks'] else 'incremental',
        incremental_strategy='replace_stale',
        stale_rows_macro='rebuilt_table_stale_rows',
        on_schema_change='sync_all_columns',
    ) }}
{%- endmacro %}


{#
    Whether the build signature can be trusted on this target: the engine
    has a row_checksum, and the var event_day_checksum (whether checksums
    are used at all) is not false.
#}
{% macro build_signature_supported() -%}
    {{ return(
        var('event_day_checksum', true)
        and target.type in ['duckdb', 'postgres', 'snowflake', 'bigquery']
    ) }}
{%- endmacro %}


{#
    The contents of a table's inputs, in words, looked up when the model
    compiles: of each raw table (raw_table) and each ref its row count and
    the sum of its rows' checksums (row_checksum, over every column).
    Empty when not executing (parsing).
#}
{% macro build_inputs_text(raw_tables, refs) -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set inputs = [] -%}
    {%- for table_name in raw_tables -%}
        {%- do inputs.append((table_name, raw_table(table_name), raw_table_columns()[table_name])) -%}
    {%- endfor -%}
    {%- for ref_name in refs -%}
        {%- do inputs.append((ref_name, ref(ref_name), none)) -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- for name, relation, raw_columns in inputs -%}
        {#- a raw file reader (text) is read as it is; a table that does not
            exist yet (a compile before the first build, the linter) is
            "missing", and the model then fails on it if it is a build #}
        {%- set table = relation if relation is string else load_relation(relation) -%}
        {%- if table is none -%}
            {%- do parts.append(name ~ ': missing') -%}
        {%- else -%}
            {%- set columns = raw_columns if raw_columns is not none
                else adapter.get_columns_in_relation(table) | map(attribute='quoted') | list -%}
            {%- set found = run_query(
                'select count(*) as row_count, coalesce(sum(' ~ row_checksum(columns) ~ '), 0) as checksum'
                ~ ' from ' ~ table ~ ' as source'
            ).rows[0] -%}
            {%- do parts.append(name ~ ': ' ~ found['row_count'] ~ ' rows, checksum ' ~ found['checksum']) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(parts | join('; ')) }}
{%- endmacro %}


{#
    The stored build signature of `relation` when all its rows carry the
    same one, else none (an empty table, a table from before the column,
    a table not built incrementally).
#}
{% macro stored_build_signature(relation) -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set column_names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- if 'build_signature' not in column_names -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query(
        'select count(*) as row_count, min(build_signature) as low, max(build_signature) as high from ' ~ relation
    ).rows[0] -%}
    {{ return(found['low'] if found['row_count'] > 0 and found['low'] == found['high'] else none) }}
{%- endmacro %}


{#
    SQL (a call block; the caller is the model's select): the caller's rows
    with their build signature and built_at, or no row when the stored
    signature is the current one (see above). Columns: the caller's, then
    build_signature (the md5 of the inputs' contents and the compiled SQL)
    and built_at (the start of the run that built the rows).
#}
{% macro rebuilt_on_change(raw_tables=[], refs=[]) -%}
    {%- set body = caller() -%}
    {%- set supported = build_signature_supported() -%}
    {%- set inputs = build_inputs_text(raw_tables, refs) if supported else '' -%}
    {%- set signature = local_md5(inputs ~ '\n' ~ body) -%}
    {%- set unchanged = supported and stored_build_signature(this) == signature -%}
    -- build inputs: {{ inputs if inputs else 'not signed' }}
    select
        rebuilt.*,
        cast('{{ signature }}' as {{ type_text() }}) as build_signature,
        {{ run_started_timestamp() }} as built_at
    from (
        {{ body | indent(8) }}
    ) as rebuilt
    {%- if unchanged %}
    {#- unchanged since the stored build: no row is selected or replaced
        (rebuilt_table_stale_rows reads the marker) #}
    where 1 = 0 /* rebuilt_on_change: unchanged */
    {%- endif %}
{%- endmacro %}


{#
    SQL: the rows an incremental run of a rebuilt_on_change table replaces
    (strategy replace_stale): none when the model compiled as unchanged
    (the marker rebuilt_on_change writes into its SQL), else every row,
    so that a rebuilt table never keeps a row of its previous build, even
    when it is rebuilt empty or with the same signature (an engine where
    it is not signed). The decision is the one the model's SQL was
    compiled with, read back from it, not taken a second time.
#}
{% macro rebuilt_table_stale_rows(target_relation, batch_relation) -%}
    {%- if '/* rebuilt_on_change: unchanged */' in sql -%}
        1 = 0
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}
