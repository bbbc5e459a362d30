{#- Staging renames and casts, nothing else: it must hold exactly the rows of its source. -#}
{% test same_row_count(model, compare_to) %}
select source_rows, model_rows
from (select count(*) as model_rows from {{ model }}) m
cross join (select count(*) as source_rows from {{ compare_to }}) s
where source_rows <> model_rows
{% endtest %}
