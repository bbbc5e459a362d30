{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- Step 1 of the windows (docs/kpi-path.md): the candidate rows, each with its month's
-- rolled-up sums. Every unit of a month's hierarchy gets a total row for every KPI (kpi_id,
-- e.g. exit_turnover_pct); a breakdown value gets a row in each month whose 12 months up to
-- it hold a fact of it (the longest window's reach), so a window still covering earlier facts
-- has its row, and a row never depends on a later month. int_kpi_window_figures keeps the
-- rows that are shown.
-- Kept by period: a month's rows read the roll-up of that month and the 11 before it only.
-- Rows of a breakdown value's whole span of months (first fact to 11 after the last) were
-- once computed here as a view, which made every refresh aggregate the whole history (at L
-- 17 M roll-up rows for a new month's 12).
with catalogue as (
    -- The KPIs of the organisation profile (macros/profile.sql), as in the roll-up.
    select kpi_id from {{ ref('kpi_catalogue') }}
    where {{ in_profile() }}
),

months as (
    select * from {{ ref('int_months') }}
    where {{ in_refreshed_periods('period') }}
),

units as (
    select period_month as period, org_unit_code from {{ ref('stg_org_units') }}
    where {{ in_refreshed_periods('period_month') }}
),

monthly as (
    select * from {{ ref('int_kpi_month_rollup') }}
    where window_adjustment is null
      and {{ in_refreshed_periods('period', lookback_months=11) }}
),

-- A fact's month and the months after it up to 11 later or the next month with a fact of
-- the same key, whichever is first: the months in which it is the latest fact within 12
-- months. The ranges of one key never overlap.
fact_reach as (
    select
        kpi_id, org_unit_code, breakdown, breakdown_value, month_no as reach_from,
        least(month_no + 11,
              coalesce(lead(month_no) over (
                           partition by kpi_id, org_unit_code, breakdown, breakdown_value
                           order by month_no) - 1,
                       month_no + 11)) as reach_to
    from monthly
),

grid as (
    select c.kpi_id, u.period, u.org_unit_code, 'total' as breakdown, 'total' as breakdown_value
    from units u
    cross join catalogue c
    union
    select f.kpi_id, m.period, f.org_unit_code, f.breakdown, f.breakdown_value
    from fact_reach f
    join months m
        on m.month_no between f.reach_from and f.reach_to
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
{{ order_by_period() }}
