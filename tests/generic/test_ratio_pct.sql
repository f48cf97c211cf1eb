{#
    Fails on rows where column_name <> 100 * numerator / denominator
    (within `tolerance` points), or where the ratio leaves 0..100.
    Usage:  - ratio_pct: {numerator: active_users, denominator: assigned_seats}
#}
{% test ratio_pct(model, column_name, numerator, denominator, tolerance=0.01) %}
    select *
    from {{ model }}
    where {{ denominator }} is null
        or {{ denominator }} <= 0
        or {{ numerator }} > {{ denominator }}
        or {{ column_name }} is null
        or abs({{ column_name }} - 100.0 * {{ numerator }} / {{ denominator }}) > {{ tolerance }}
{% endtest %}
