{#
    The formula of CONTRACT section 4, checked on every row:
      utilized_seats  = least(active_users, licensed_seats)
      overage_users   = greatest(active_users - licensed_seats, 0)
      utilization_pct = 100 * utilized_seats / licensed_seats (within
                        `tolerance` points), and so within 0..100
    Returns the failing rows with the rule each one breaks.
#}
{% test utilization_formula(
    model,
    licensed_seats='licensed_seats',
    active_users='active_users',
    utilized_seats='utilized_seats',
    utilization_pct='utilization_pct',
    overage_users='overage_users',
    tolerance=0.01
) %}
    with checked as (
        select
            *,
            case
                when {{ licensed_seats }} is null or {{ licensed_seats }} <= 0
                    then 'licensed_seats must be > 0 on a fact row'
                when {{ utilized_seats }} > {{ licensed_seats }}
                    then 'utilized_seats above licensed_seats'
                when {{ utilized_seats }} <> case
                        when {{ active_users }} < {{ licensed_seats }} then {{ active_users }}
                        else {{ licensed_seats }}
                    end
                    then 'utilized_seats <> least(active_users, licensed_seats)'
                {%- if overage_users %}
                when {{ overage_users }} <> case
                        when {{ active_users }} > {{ licensed_seats }} then {{ active_users }} - {{ licensed_seats }}
                        else 0
                    end
                    then 'overage_users <> greatest(active_users - licensed_seats, 0)'
                {%- endif %}
                when {{ utilization_pct }} is null
                    or {{ utilization_pct }} < 0
                    or {{ utilization_pct }} > 100
                    then 'utilization_pct outside 0..100'
                when abs({{ utilization_pct }} - 100.0 * {{ utilized_seats }} / {{ licensed_seats }}) > {{ tolerance }}
                    then 'utilization_pct <> 100 * utilized_seats / licensed_seats'
            end as formula_violation
        from {{ model }}
    )
    select *
    from checked
    where formula_violation is not null
{% endtest %}
