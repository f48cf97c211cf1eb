{#
    Faster seeds on Postgres: dbt's default loader renders
    get_binding_char() (a dispatched macro) once per value, which makes
    the 65k-row events seed take a minute of Jinja. Same statements and
    bindings, with the binding character looked up once per seed.
#}
{% macro postgres__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set cols_sql = get_seed_column_quoted_csv(model, agate_table.column_names) -%}
    {%- set binding_char = get_binding_char() -%}
    {%- set row_sql = '(' ~ ([binding_char] * (agate_table.column_names | length)) | join(',') ~ ')' -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set bindings = [] -%}
        {%- for row in chunk -%}
            {%- do bindings.extend(row) -%}
        {%- endfor -%}
        {%- set sql -%}
insert into {{ this.render() }} ({{ cols_sql }}) values
{{ ([row_sql] * (chunk | length)) | join(',\n') }}
        {%- endset -%}
        {%- do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}


{#
    Seeds on Spark: rows inserted as SQL literals.

    dbt-spark's own loader sends every value as a bound parameter, and in
    session mode (dbt-spark 1.11) a parameter is pasted into the SQL text
    as '<value>': an empty CSV cell arrives as the text 'None' instead of
    null, and a value with a quote breaks the statement. The sample data
    has empty cells (industry, department, role, feature_name...) whose
    null-ness the marts depend on, so this override writes each value as
    a literal itself: null, true/false, a number, or an escaped string,
    cast to the column's seed type in one select per batch. It also cuts
    the work Spark spends on analysing one cast per value.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
insert into {{ this.render() }}
select {% for type in types %}cast(c{{ loop.index0 }} as {{ type }}){% if not loop.last %}, {% endif %}{% endfor %}
from values
{% for row in chunk -%}
(
    {%- for value in row -%}
        {%- if value is none -%}null
        {%- elif value is sameas true -%}true
        {%- elif value is sameas false -%}false
        {%- elif value is number -%}{{ value }}
        {%- elif value.hour is defined -%}'{{ value.strftime('%Y-%m-%d %H:%M:%S.%f') }}'
        {%- elif value.isoformat is defined -%}'{{ value.isoformat() }}'
        {%- else -%}'{{ value | string | replace('\\', '\\\\') | replace("'", "\\'") }}'
        {%- endif -%}
        {%- if not loop.last -%}, {% endif -%}
    {%- endfor -%}
){%- if not loop.last -%},{%- endif %}
{% endfor -%}
as seed_rows ({% for type in types %}c{{ loop.index0 }}{% if not loop.last %}, {% endif %}{% endfor %})
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
