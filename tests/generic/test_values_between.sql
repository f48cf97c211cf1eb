{#
    Fails on rows whose column lies outside [min_value, max_value]
    (bounds optional, inclusive). Nulls are left to not_null.
    Usage:  - values_between: {min_value: 0, max_value: 100}
#}
{% test values_between(model, column_name, min_value=none, max_value=none) %}
    {%- if min_value is none and max_value is none -%}
        {{ exceptions.raise_compiler_error(
            "values_between on " ~ model ~ "." ~ column_name ~ ": give min_value, max_value or both"
        ) }}
    {%- endif %}
    select *
    from {{ model }}
    where {{ column_name }} is not null
        and (
            {%- if min_value is not none %} {{ column_name }} < {{ min_value }}{% endif %}
            {%- if min_value is not none and max_value is not none %} or{% endif %}
            {%- if max_value is not none %} {{ column_name }} > {{ max_value }}{% endif %}
        )
{% endtest %}
