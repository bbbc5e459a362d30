{{ config(materialized="view") }}
-- A view: the union only feeds int_kpi_month_rollup (and a test), so storing its 5 M rows
-- (at demo size) cost a full copy of every family table for nothing.
-- All KPI facts at the finest grain: kpi, month, leaf org unit and the person's or event's
-- breakdown attributes. Each KPI's path starts in one int_kpi_facts_<family> model.
-- window_adjustment / window_end_month_no are set only on the long-spell adjustments.
{% set families = ['int_kpi_facts_workforce', 'int_kpi_facts_costs', 'int_kpi_facts_health',
                   'int_kpi_facts_pay', 'int_kpi_facts_survey', 'int_kpi_facts_fi'] %}
{% for family in families %}
select
    kpi_id, period, month_no, org_unit_code, gender, age_group, employment_type, profession_group,
    reason_group, numerator, denominator, numerator_n, denominator_n, persons,
    cast(null as varchar) as window_adjustment,
    cast(null as integer) as window_end_month_no
from {{ ref(family) }}
union all
{% endfor %}
select
    kpi_id, period, month_no, org_unit_code, gender, age_group, employment_type, profession_group,
    reason_group, numerator, denominator, numerator_n, denominator_n, persons,
    window_adjustment, window_end_month_no
from {{ ref('int_kpi_facts_long_spell_adjustments') }}
