{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail",
          pre_hook="{{ keep_join_sides() }}", post_hook="{{ restore_join_sides() }}") }}
-- Step 2 of the windows: each candidate row once per window of seeds/kpi_windows.csv, with
-- the sums over that window's months (exact decimals: macros/types.sql). A KPI's
-- window_rule (seeds/kpi_rules.csv) says whether a window sums its months or repeats the
-- month (window_figure) and whether it is published for one window only (only_window).
-- Long-spell adjustments (int_kpi_facts_long_spell_adjustments) are added per window end.
-- Every KPI passes by its kpi_id (e.g. exit_turnover_pct).
-- A refresh rebuilds its periods from the 11 months before them on (the rolling window;
-- the year window never reaches further back).
-- Stored in period order through a materialised CTE (macros/refresh_periods.sql
-- in_period_order): with a plain order by, the 16 periods of a corrected month at L ran out
-- of the 3 GB (the window's sort and the final sort at once); this way 39 s.
{% call in_period_order() %}
with base as (
    select * from {{ ref('int_kpi_window_grid') }}
    where {{ in_refreshed_periods('period', lookback_months=11) }}
),

rules as (
    select c.kpi_id, r.window_figure, r.window_denominator, r.only_window
    from {{ ref('kpi_catalogue') }} c
    join {{ ref('kpi_rules') }} r
        on r.rule_kind = 'window_rule'
       and r.rule = c.window_rule
),

windows as (
    select window_name from {{ ref('kpi_windows') }}
),

sums as (
    select
        base.*,
        sum(numerator) over rolling_window as numerator_12m,
        sum(denominator) over rolling_window as denominator_12m,
        sum(has_facts) over rolling_window as facts_12m,
        sum(numerator) over year_window as numerator_ytd,
        sum(denominator) over year_window as denominator_ytd,
        sum(has_facts) over year_window as facts_ytd
    from base
    window
        rolling_window as (
            partition by kpi_id, org_unit_code, breakdown, breakdown_value
            order by month_no range between 11 preceding and current row),
        year_window as (
            partition by kpi_id, org_unit_code, breakdown, breakdown_value, year
            order by month_no range between unbounded preceding and current row)
),

unpivoted as (
    select
        s.kpi_id, s.period, s.month_no, s.org_unit_code, s.breakdown, s.breakdown_value,
        w.window_name,
        case when r.window_figure = 'month' or w.window_name = 'month' then s.numerator
             when w.window_name = 'rolling_12m' then s.numerator_12m
             else s.numerator_ytd end as numerator,
        -- last_month_end: a flow over the stock at the window's last month end (KT's turnover).
        case when r.window_figure = 'month' or w.window_name = 'month' or r.window_denominator = 'last_month_end'
                 then s.denominator
             when w.window_name = 'rolling_12m' then s.denominator_12m
             else s.denominator_ytd end as denominator,
        s.numerator_n,
        s.denominator_n,
        s.persons,
        case when r.window_figure = 'month' or w.window_name = 'month' then s.has_facts
             when w.window_name = 'rolling_12m' then s.facts_12m
             else s.facts_ytd end as fact_months
    from sums s
    join rules r
        on r.kpi_id = s.kpi_id
    cross join windows w
    where r.only_window is null or w.window_name = r.only_window
),

adjustments as (
    select
        kpi_id, window_end_month_no as month_no, org_unit_code, breakdown, breakdown_value,
        window_adjustment as window_name,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from {{ ref('int_kpi_month_rollup') }}
    where window_adjustment is not null
    group by kpi_id, window_end_month_no, org_unit_code, breakdown, breakdown_value, window_adjustment
)

-- An adjustment's key always has a grid row: its own month's facts span the window end.
select
    u.kpi_id, u.period, u.month_no, u.org_unit_code, u.breakdown, u.breakdown_value, u.window_name,
    case when a.numerator is null then u.numerator else coalesce(u.numerator, 0) + a.numerator end
        as numerator,
    case when a.denominator is null then u.denominator else coalesce(u.denominator, 0) + a.denominator end
        as denominator,
    u.numerator_n,
    u.denominator_n,
    u.persons,
    cast(u.fact_months + case when a.kpi_id is null then 0 else 1 end as {{ type_count() }}) as fact_months
from unpivoted u
left join adjustments a
    on a.kpi_id = u.kpi_id
   and a.month_no = u.month_no
   and a.org_unit_code = u.org_unit_code
   and a.breakdown = u.breakdown
   and a.breakdown_value = u.breakdown_value
   and a.window_name = u.window_name
where {{ in_refreshed_periods('u.period') }}
{% endcall %}
