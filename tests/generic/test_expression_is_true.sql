{#
    Fails on rows where a boolean SQL expression is not true.
    Usage (model level):  - expression_is_true: {expression: "a <= b"}
    Optional `where` is applied by dbt's test config.
#}
{% test expression_is_true(model, expression, column_name=none) %}
    {%- if not expression -%}
        {{ exceptions.raise_compiler_error("expression_is_true on " ~ model ~ ": give an expression") }}
    {%- endif %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}
