{#- Period helpers shared by every layer, kept in ANSI SQL so another adapter can run them. -#}

{# YYYYMM integer -> first day of that month. #}
{% macro yyyymm_to_date(column) -%}
    cast(substr(cast({{ column }} as {{ dbt.type_string() }}), 1, 4) || '-' || substr(cast({{ column }} as {{ dbt.type_string() }}), 5, 2) || '-01' as date)
{%- endmacro %}

{# A month as a running integer (year * 12 + month - 1): window arithmetic without date functions. #}
{% macro month_no(date_column) -%}
    (cast(extract(year from {{ date_column }}) as integer) * 12 + cast(extract(month from {{ date_column }}) as integer) - 1)
{%- endmacro %}

{# The statutory age groups (Lag (1997:614) 4 kap. 1 a §): fixed by law, not a parameter. #}
{% macro age_group(age) -%}
    case when {{ age }} <= 29 then '<=29' when {{ age }} <= 49 then '30-49' else '>=50' end
{%- endmacro %}

{# The value of a year-independent parameter from seeds/parameters.csv, as a scalar subquery. #}
{% macro param(name) -%}
    (select max(value) from {{ ref('parameters') }} where parameter = '{{ name }}' and year is null)
{%- endmacro %}
