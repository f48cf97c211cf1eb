{#
    The "active" rule (CONTRACT section 3) as one validated dictionary.

    active_rule()             -> the project's configured rule (the vars)
    active_rule(spec, label)  -> a named variant: keys of `spec` override
                                 the configured rule (used for
                                 var active_definitions)

    A rule with no condition (all three thresholds 0), an unknown match,
    a window below 1 day, a negative threshold, or an event name that is
    both a login and a core workflow stops the build, naming the var.
#}
{% macro active_rule(spec=none, label=none) -%}
    {%- set base = {
        'active_window_days': var('active_window_days', 30),
        'active_min_logins': var('active_min_logins', 1),
        'active_min_feature_events': var('active_min_feature_events', 0),
        'active_min_core_workflow_events': var('active_min_core_workflow_events', 0),
        'active_rule_match': var('active_rule_match', 'any'),
        'login_event_names': var('login_event_names', ['login']),
        'core_workflow_event_names': var('core_workflow_event_names', []),
    } -%}
    {%- set rule = {} -%}
    {%- for key, value in base.items() -%}
        {%- do rule.update({key: value}) -%}
    {%- endfor -%}
    {%- if spec is not none -%}
        {%- for key, value in spec.items() -%}
            {%- if key not in base -%}
                {{ exceptions.raise_compiler_error(
                    "var " ~ label ~ ": unknown key '" ~ key ~ "'; allowed: " ~ base.keys() | join(', ')
                ) }}
            {%- endif -%}
            {%- do rule.update({key: value}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set prefix = (label ~ '.') if label else '' -%}

    {%- for key in ['active_window_days', 'active_min_logins', 'active_min_feature_events', 'active_min_core_workflow_events'] -%}
        {%- set value = rule[key] -%}
        {%- if value is none or not (value | string | trim).isdigit() -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ prefix ~ key ~ " must be a whole number >= 0, got '" ~ value ~ "'"
            ) }}
        {%- endif -%}
        {%- do rule.update({key: value | int}) -%}
    {%- endfor -%}
    {%- if rule['active_window_days'] < 1 -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ prefix ~ "active_window_days must be at least 1 day, got " ~ rule['active_window_days']
        ) }}
    {%- endif -%}
    {%- if rule['active_min_logins'] + rule['active_min_feature_events'] + rule['active_min_core_workflow_events'] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "The active rule has no condition: vars " ~ prefix ~ "active_min_logins, "
            ~ prefix ~ "active_min_feature_events and " ~ prefix ~ "active_min_core_workflow_events are all 0. "
            ~ "Set at least one of them above 0 (default: active_min_logins: 1)."
        ) }}
    {%- endif -%}
    {%- set match = rule['active_rule_match'] | string | trim | lower -%}
    {%- if match not in ('any', 'all') -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ prefix ~ "active_rule_match must be 'any' or 'all', got '" ~ rule['active_rule_match'] ~ "'"
        ) }}
    {%- endif -%}
    {%- do rule.update({'active_rule_match': match}) -%}
    {%- for key in ['login_event_names', 'core_workflow_event_names'] -%}
        {%- set names = rule[key] -%}
        {%- if names is none -%}{%- set names = [] -%}{%- endif -%}
        {%- if names is string -%}{%- set names = [names] -%}{%- endif -%}
        {%- set cleaned = [] -%}
        {%- for name in names -%}{%- do cleaned.append(name | string | trim | lower) -%}{%- endfor -%}
        {%- do rule.update({key: cleaned}) -%}
    {%- endfor -%}
    {%- for name in rule['login_event_names'] -%}
        {%- if name in rule['core_workflow_event_names'] -%}
            {{ exceptions.raise_compiler_error(
                "Event name '" ~ name ~ "' is in both vars " ~ prefix ~ "login_event_names and "
                ~ prefix ~ "core_workflow_event_names; an event counts in one category only."
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(rule) }}
{%- endmacro %}


{#
    SQL: the category of a (lower-cased) event name under a rule:
    'login', 'core_workflow' or 'feature_use'.
#}
{% macro event_category(event_name_column, rule) -%}
    case
        when {{ event_name_column }} in {{ sql_name_list(rule['login_event_names']) }} then 'login'
        when {{ event_name_column }} in {{ sql_name_list(rule['core_workflow_event_names']) }} then 'core_workflow'
        else 'feature_use'
    end
{%- endmacro %}


{#
    SQL: true when the window counts satisfy the rule. Only thresholds
    above 0 are conditions; `any` joins them with or, `all` with and.
#}
{% macro active_condition(rule, logins_column, feature_column, core_workflow_column) -%}
    {%- set conditions = [] -%}
    {%- if rule['active_min_logins'] > 0 -%}
        {%- do conditions.append(logins_column ~ ' >= ' ~ rule['active_min_logins']) -%}
    {%- endif -%}
    {%- if rule['active_min_feature_events'] > 0 -%}
        {%- do conditions.append(feature_column ~ ' >= ' ~ rule['active_min_feature_events']) -%}
    {%- endif -%}
    {%- if rule['active_min_core_workflow_events'] > 0 -%}
        {%- do conditions.append(core_workflow_column ~ ' >= ' ~ rule['active_min_core_workflow_events']) -%}
    {%- endif -%}
    ({{ conditions | join(' or ' if rule['active_rule_match'] == 'any' else ' and ') }})
{%- endmacro %}


{# SQL: the health band of a utilization percentage (CONTRACT section 4). #}
{% macro health_band(pct_column) -%}
    case
        when {{ pct_column }} is null then null
        when {{ pct_column }} >= {{ var('strong_utilization_pct', 80) }} then 'strong'
        when {{ pct_column }} < {{ var('at_risk_utilization_pct', 60) }} then 'at_risk'
        else 'healthy'
    end
{%- endmacro %}


{# SQL: 100 * numerator / denominator as a double, null when denominator is 0. #}
{% macro pct(numerator, denominator) -%}
    cast(100.0 * {{ numerator }} / nullif({{ denominator }}, 0) as {{ type_double() }})
{%- endmacro %}


{# Text: a one-line, human-readable summary of a rule, e.g. "logins>=1 in 30d". #}
{% macro rule_summary(rule) -%}
    {%- set parts = [] -%}
    {%- if rule['active_min_logins'] > 0 -%}{%- do parts.append('logins>=' ~ rule['active_min_logins']) -%}{%- endif -%}
    {%- if rule['active_min_feature_events'] > 0 -%}{%- do parts.append('feature_events>=' ~ rule['active_min_feature_events']) -%}{%- endif -%}
    {%- if rule['active_min_core_workflow_events'] > 0 -%}{%- do parts.append('core_workflow_events>=' ~ rule['active_min_core_workflow_events']) -%}{%- endif -%}
    {{- parts | join(' or ' if rule['active_rule_match'] == 'any' else ' and ') ~ ' in ' ~ rule['active_window_days'] ~ 'd' -}}
{%- endmacro %}
