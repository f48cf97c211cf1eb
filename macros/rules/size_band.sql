{#
    SQL: the size band label of an employee count, from var size_bands
    (a list of {label, max_employees}, ascending; null max = no bound).
    A missing count is `Unknown`.
#}
{% macro size_band(employee_count_column) -%}
    {%- set bands = var('size_bands') -%}
    {%- if bands is none or bands | length == 0 -%}
        {{ exceptions.raise_compiler_error("var size_bands must list at least one band {label, max_employees}") }}
    {%- endif -%}
    case
        when {{ employee_count_column }} is null then 'Unknown'
        {%- for band in bands %}
        {%- if band.get('label') is none -%}
            {{ exceptions.raise_compiler_error("var size_bands: every band needs a label, got " ~ band) }}
        {%- endif -%}
        {%- if band.get('max_employees') is none %}
        else '{{ band['label'] }}'
        {%- else %}
        when {{ employee_count_column }} <= {{ band['max_employees'] | int }} then '{{ band['label'] }}'
        {%- endif -%}
        {%- endfor %}
    {%- if (bands | last).get('max_employees') is not none %}
        else 'Unknown'
    {%- endif %}
    end
{%- endmacro %}
