{#- Money is stored in integer cents in the raw data; marts show it in dollars with a fixed scale. -#}
{% macro cents_to_dollars(column_name, scale=2) -%}
    cast(({{ column_name }}) / 100.0 as decimal(18, {{ scale }}))
{%- endmacro %}
