{#
    Layers land in schemas named exactly after their folder config
    (`staging`, `intermediate`, `marts`, `audit`, `raw`), not in
    `<target schema>_<custom schema>`: dashboards read `marts.<model>`.
    Models without a custom schema go to the target's schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
