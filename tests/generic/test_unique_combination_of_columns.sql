{#
    Fails once per key combination that occurs more than once: the grain
    test of every fact (e.g. account_id x date_day).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- if combination_of_columns is string or (combination_of_columns | length) == 0 -%}
        {{ exceptions.raise_compiler_error(
            "unique_combination_of_columns on " ~ model ~ ": give a list of columns"
        ) }}
    {%- endif %}
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}
