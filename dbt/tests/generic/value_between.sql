{#- Values outside [min_value, max_value], optionally only for rows matching `where_sql`. -#}
{% test value_between(model, column_name, min_value, max_value, where_sql='1 = 1') %}
select *
from {{ model }}
where {{ column_name }} is not null
  and ({{ where_sql }})
  and ({{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }})
{% endtest %}
