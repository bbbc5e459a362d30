{#- Every row's org unit is a unit of its own month's org_units snapshot. A re-delivered
    snapshot that drops a unit still used that month would otherwise make its rows vanish
    from every KPI (the roll-up joins on the month's hierarchy) while the totals look fine. -#}
{% test unit_in_month_snapshot(model) %}
select m.period_month, m.org_unit_code, count(*) as rows_without_unit
from {{ model }} m
where m.org_unit_code is not null and not exists (
    select 1 from {{ ref('stg_org_units') }} o
    where o.period_month = m.period_month and o.org_unit_code = m.org_unit_code)
group by all
{% endtest %}
