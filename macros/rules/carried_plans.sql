{#
    Plans carried from a model's compilation to its run. An incremental
    model looks its plan up with queries when it compiles (which days,
    users or rows a run computes again: account_days_plan,
    activity_recount_plan, ...), and its materialization needs the same
    plan again: the rows the strategy replace_stale deletes, the record
    of an account x day build. The model writes the plan into its SQL
    (carry_plan, a comment), and the plan macro, called again while that
    SQL runs, reads it back from there (carried_plan) instead of querying
    again. So the rows deleted are those of the plan the inserted rows
    were computed with, whatever another model built in parallel in
    between, and a daily run saves ~50 lookups (two to four queries per
    incremental model).

    The plan is a dict of texts, numbers, booleans and lists of them, or
    none; a date value is written as its ISO text and read back as a date
    when its key is in `date_keys`. The SQL that carries a plan is the
    compiled model, so a changed plan also changes what the run executes.
#}
{% macro carry_plan(name, plan) -%}
    {%- set written = plan -%}
    {%- if plan is mapping -%}
        {%- set written = {} -%}
        {%- for key, value in plan.items() -%}
            {%- do written.update({key: value.isoformat() if value is not none
                and value is not string and value.isoformat is defined else value}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set text = tojson(written, sort_keys=true) -%}
    {%- if '*/' in text -%}
        {%- do exceptions.raise_compiler_error('carry_plan: the plan ' ~ name ~ ' cannot be written into a comment: ' ~ text) -%}
    {%- endif -%}
/* plan {{ name }}: {{ text }} */
{%- endmacro %}


{#
    The plan `name` that the SQL being run carries (carry_plan), as
    {'found': true, 'plan': ...}; {'found': false} while the model
    compiles (no SQL yet) or when its SQL carries no such plan: the plan
    macro then looks the plan up.
#}
{% macro carried_plan(name, date_keys=[]) -%}
    {%- set marker = '/* plan ' ~ name ~ ': ' -%}
    {%- set text = sql if execute and sql is defined and sql is string else '' -%}
    {%- if marker not in text -%}
        {{ return({'found': false}) }}
    {%- endif -%}
    {%- set plan = fromjson(text.split(marker)[1].split(' */')[0]) -%}
    {%- if plan is mapping -%}
        {%- for key in date_keys -%}
            {%- if plan.get(key) is not none -%}
                {%- do plan.update({key: modules.datetime.date.fromisoformat(plan[key])}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return({'found': true, 'plan': plan}) }}
{%- endmacro %}
