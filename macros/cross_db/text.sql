{#
    Raw text cleaning shared by the staging models: cast to text, trim,
    and turn empty strings into null. `lower=true` for enumerations,
    which compare case-insensitively (CONTRACT section 2).
#}
{% macro clean_text(column_name, lower=false) -%}
    {%- set cleaned = trimmed_or_null("cast(" ~ column_name ~ " as " ~ type_text() ~ ")") -%}
    {%- if lower -%}
        lower({{ cleaned }})
    {%- else -%}
        {{ cleaned }}
    {%- endif -%}
{%- endmacro %}


{#
    SQL: nullif(trim(text), ''). On DuckDB the trim (which copies every
    string) only runs on values that start or end with a space, the only
    ones it changes: the same result, at half the cost on the tens of
    millions of event ids.
#}
{% macro trimmed_or_null(text_expression) -%}
    {{ return(adapter.dispatch('trimmed_or_null', 'license_utilization')(text_expression)) }}
{%- endmacro %}

{% macro default__trimmed_or_null(text_expression) -%}
    nullif(trim({{ text_expression }}), '')
{%- endmacro %}

{% macro duckdb__trimmed_or_null(text_expression) -%}
    case
        when {{ text_expression }} like ' %' or {{ text_expression }} like '% '
            then nullif(trim({{ text_expression }}), '')
        else nullif({{ text_expression }}, '')
    end
{%- endmacro %}


{# A raw column cast (safely) to a type, via its cleaned text. #}
{% macro clean_cast(column_name, data_type) -%}
    {{ try_cast(clean_text(column_name), data_type) }}
{%- endmacro %}


{# A SQL list literal ('a', 'b') of lower-cased, trimmed names. #}
{% macro sql_name_list(names) -%}
    {%- if names is string -%}{%- set names = [names] -%}{%- endif -%}
    {%- set quoted = [] -%}
    {%- for name in names -%}
        {%- do quoted.append("'" ~ (name | string | trim | lower | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {%- if quoted | length == 0 -%}
        (null)
    {%- else -%}
        ({{ quoted | join(', ') }})
    {%- endif -%}
{%- endmacro %}
