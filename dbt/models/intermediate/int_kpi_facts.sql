{{ config(materialized="view") }}
-- A view: the union only feeds int_kpi_month_rollup (and a test), so storing its 5 M rows
-- (at demo size) cost a full copy of every family table for nothing.
-- All KPI facts at the finest grain: kpi, month, leaf org unit and the person's or event's
-- breakdown attributes, every KPI by its kpi_id. Each KPI's path starts in one
-- int_kpi_facts_<family> model (exit_turnover_pct: int_kpi_facts_workforce; docs/kpi-path.md).
-- hierarchy_period is the month whose org hierarchy a fact is rolled up over: its own
-- month, except for a carried survey result (the survey's month, int_kpi_facts_survey).
-- window_adjustment / window_end_month_no are set only on the long-spell adjustments, whose
-- period is the window's end and hierarchy_period their own month.
-- Every number is a fact decimal (macros/types.sql): the roll-up and windows sum exactly.
{% set families = {'int_kpi_facts_workforce': 'period', 'int_kpi_facts_costs': 'period',
                   'int_kpi_facts_health': 'period', 'int_kpi_facts_pay': 'period',
                   'int_kpi_facts_survey': 'hierarchy_period',
                   'int_kpi_facts_fi': 'period'} %}
{% for family, hierarchy_period in families.items() %}
select
    kpi_id, period, month_no, {{ hierarchy_period }} as hierarchy_period, org_unit_code, gender,
    age_group, employment_type, profession_group, reason_group,
    cast(numerator as {{ type_fact() }}) as numerator,
    cast(denominator as {{ type_fact() }}) as denominator,
    cast(numerator_n as {{ type_fact() }}) as numerator_n,
    cast(denominator_n as {{ type_fact() }}) as denominator_n,
    persons,
    cast(null as {{ dbt.type_string() }}) as window_adjustment,
    cast(null as integer) as window_end_month_no
from {{ ref(family) }}
union all
{% endfor %}
select
    kpi_id, period, month_no, hierarchy_period, org_unit_code, gender, age_group,
    employment_type, profession_group, reason_group,
    cast(numerator as {{ type_fact() }}) as numerator,
    cast(denominator as {{ type_fact() }}) as denominator,
    cast(numerator_n as {{ type_fact() }}) as numerator_n,
    cast(denominator_n as {{ type_fact() }}) as denominator_n,
    persons, window_adjustment, window_end_month_no
from {{ ref('int_kpi_facts_long_spell_adjustments') }}
