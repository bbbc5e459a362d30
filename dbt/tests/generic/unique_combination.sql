{#- The grain of a model: no two rows share these columns. Names are quoted for the target:
    the published grain includes "window", a reserved word. -#}
{% test unique_combination(model, columns) %}
{%- set quoted = [] -%}
{%- for column in columns %}{% do quoted.append(adapter.quote(column)) %}{% endfor -%}
select {{ quoted | join(', ') }}, count(*) as rows_with_this_key
from {{ model }}
group by {{ quoted | join(', ') }}
having count(*) > 1
{% endtest %}
