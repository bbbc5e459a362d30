{{ config(materialized="view") }}
-- Step 1 of the windows (docs/kpi-path.md): the candidate rows, each with its month's
-- rolled-up sums. Every unit of a month's hierarchy gets a total row for every KPI (kpi_id,
-- e.g. exit_turnover_pct); a breakdown value gets rows from its first month with facts to
-- 11 months after its last, so a window still covering earlier facts has its row.
-- int_kpi_window_figures keeps the rows that are shown. A view: read once, by the sums.
with catalogue as (
    select kpi_id from {{ ref('kpi_catalogue') }}
),

months as (
    select * from {{ ref('int_months') }}
),

units as (
    select period_month as period, org_unit_code from {{ ref('stg_org_units') }}
),

monthly as (
    select * from {{ ref('int_kpi_month_rollup') }} where window_adjustment is null
),

fact_spans as (
    select kpi_id, org_unit_code, breakdown, breakdown_value,
           min(month_no) as first_month_no, max(month_no) + 11 as last_month_no
    from monthly
    group by kpi_id, org_unit_code, breakdown, breakdown_value
),

grid as (
    select c.kpi_id, u.period, u.org_unit_code, 'total' as breakdown, 'total' as breakdown_value
    from units u
    cross join catalogue c
    union
    select f.kpi_id, m.period, f.org_unit_code, f.breakdown, f.breakdown_value
    from fact_spans f
    join months m
        on m.month_no between f.first_month_no and f.last_month_no
)

select
    g.kpi_id, g.period, m.month_no, m.year, g.org_unit_code, g.breakdown, g.breakdown_value,
    r.numerator, r.denominator, r.numerator_n, r.denominator_n, r.persons,
    case when r.kpi_id is null then 0 else 1 end as has_facts
from grid g
join months m
    on m.period = g.period
left join monthly r
    on r.kpi_id = g.kpi_id
   and r.period = g.period
   and r.org_unit_code = g.org_unit_code
   and r.breakdown = g.breakdown
   and r.breakdown_value = g.breakdown_value
