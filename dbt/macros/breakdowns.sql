{#- The published breakdowns (architecture: breakdown column names) with the integer codes the
    roll-up and the suppression passes group on; 0 is the total. -#}
{% macro breakdown_codes() -%}
    select 'total' as breakdown, 0 as breakdown_no
    union all select 'gender', 1
    union all select 'age_group', 2
    union all select 'employment_type', 3
    union all select 'profession_group', 4
    union all select 'reason', 5
{%- endmacro %}
