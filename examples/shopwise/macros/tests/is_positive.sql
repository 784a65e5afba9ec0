{#- Fails for every row whose value is zero or negative (nulls are left to not_null). -#}
{% test is_positive(model, column_name) %}

select *
from {{ model }}
where {{ column_name }} <= 0

{% endtest %}
