{#- The organisation profile (HRKPI_PROFILE, var hrkpi_profile: SE or FI) and the catalogue
    rows it publishes. A catalogue row without `profiles` (unit-test inputs) counts for every
    profile. -#}

{% macro profile() -%}
    {{ var('hrkpi_profile', 'SE') | upper }}
{%- endmacro %}

{# Predicate over a kpi_catalogue row: the KPI is published under the current profile. #}
{% macro in_profile(profiles_column='profiles') -%}
    ('|' || coalesce({{ profiles_column }}, 'SE|FI') || '|' like '%|{{ profile() }}|%')
{%- endmacro %}
