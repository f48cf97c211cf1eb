{#
    Tables kept as they are when nothing they are computed from changed.
    base_license__users is one: it was rebuilt from the whole raw users
    table on every run, though a daily run brings new events and rarely new
    users, and it is 0.6 s of every incremental run at the M scale (250k
    users), growing with the users. int_user_eligibility (the licensed
    users' intervals, 235k rows at M) is another. (The accounts, subscriptions and seat
    changes were tried too: a few thousand rows rebuild in about the time
    the check takes.)

    What a table is computed from is its compiled SQL, which holds every
    macro and var it uses and the relations it reads, and what its inputs
    hold. So the model wraps its SQL in a call block:

        {% call rebuilt_on_change(raw_tables=['users'], refs=['base_license__accounts']) %}
            with ... select * from final
        {% endcall %}

    and the table's build signature is the md5 of that compiled SQL (the
    database's name left out: DuckDB names it after its file, which may be
    copied or moved), headed by the inputs' contents: of each raw table and
    each ref, its row count and the sum of a checksum of each row
    (row_checksum). A run that finds the stored signature the same marks
    the SQL as unchanged, and the materialization kept_table (the model's
    config, macros/materializations/kept_table.sql) then leaves the table
    as it is; any other run builds it as a plain table. A --full-refresh builds
    it as usual. A landing folder that moves (its path is in the SQL)
    builds it once more.

    The signature holds no date: such a table must depend on no clock. A
    model whose SQL holds the run's time gets a new signature every run and
    is built every run: never wrong, only not faster. A change that leaves
    every count and checksum sum as it was goes unseen, with a chance of
    one in 2^32, as for the event days (event_day_checksum). Built every
    run, as a plain table: on engines without a row_checksum or with var
    event_day_checksum false (and so on Spark).
#}


{#
    Whether the build signature can be trusted on this target: the engine
    has a row_checksum (row_checksum_supported; Spark's is left out: its
    models are built in full anyway), and the var event_day_checksum
    (whether checksums are used at all) is not false.
#}
{% macro build_signature_supported() -%}
    {{ return(
        var('event_day_checksum', true)
        and row_checksum_supported()
        and target.type not in ['spark', 'databricks']
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
    same one, else none (no table yet, an empty table, a table from before
    the column, or a --full-refresh).
#}
{% macro stored_build_signature(relation) -%}
    {%- set existing = load_relation(relation) if execute else none -%}
    {%- if existing is none or not existing.is_table or should_full_refresh() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set column_names = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list -%}
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
    with their build signature and built_at; marked as unchanged, with no
    row, when the stored signature is the current one (see above).
    Columns: the caller's, then build_signature (the md5 of the inputs'
    contents and the compiled SQL) and built_at (the start of the run that
    built the rows).
#}
{% macro rebuilt_on_change(raw_tables=[], refs=[]) -%}
    {%- set body = caller() -%}
    {%- set supported = build_signature_supported() -%}
    {%- set inputs = build_inputs_text(raw_tables, refs) if supported else '' -%}
    {%- set signed_body = body | replace(adapter.quote(this.database) ~ '.', '') if this.database else body -%}
    {%- set signature = local_md5(inputs ~ '\n' ~ signed_body) -%}
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
    {#- unchanged since the stored build: kept_table reads the marker and
        leaves the table as it is (no row would be selected anyway) #}
    where 1 = 0 {{ kept_table_marker() }}
    {%- endif %}
{%- endmacro %}


{#
    The comment that tells the materialization kept_table to leave the
    table as it is (written into a model's SQL by rebuilt_on_change and
    kept_while_columns_match).
#}
{% macro kept_table_marker() -%}
    {{ return('/* rebuilt_on_change: unchanged */') }}
{%- endmacro %}


{#
    SQL (kept_table_marker, or nothing): for a table whose rows other
    models write (int_account_day_builds, filled by post-hooks), the
    marker that keeps it as it is while it exists with `columns` (lower
    case, in order). It is built, empty, when it is missing, on a
    --full-refresh, or when its columns changed. One lookup of its
    columns, where an incremental run of an empty select took eight
    statements.
#}
{% macro kept_while_columns_match(columns) -%}
    {%- set existing = load_relation(this) if execute else none -%}
    {%- if existing is none or not existing.is_table or should_full_refresh() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set found = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list -%}
    {{ return(kept_table_marker() if found == columns else '') }}
{%- endmacro %}
