{#- Values outside [min_value, max_value], optionally only for rows matching `where_sql`.
    Either bound may be left out: counts have a floor (0) and no ceiling. -#}
{% test value_between(model, column_name, min_value=none, max_value=none, where_sql='1 = 1') %}
select *
from {{ model }}
where {{ column_name }} is not null
  and ({{ where_sql }})
  and (
      {%- if min_value is not none %} {{ column_name }} < {{ min_value }}{% else %} false{% endif %}
      or {% if max_value is not none %}{{ column_name }} > {{ max_value }}{% else %}false{% endif %})
{% endtest %}
