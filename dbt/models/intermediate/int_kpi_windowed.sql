-- Month, rolling 12-month and calendar-year figures per KPI, org unit and breakdown value,
-- before suppression and targets. Windows sum the rolled-up monthly sums; how a KPI turns
-- those sums into numerator and denominator is its window_rule (docs/definitions.md):
--   sum               flows: numerator and denominator summed over the window's months
--   stock_mean        month-end stocks: numerator summed, denominator = loaded months
--   mean_denominator  flow over a mean stock (turnover, overtime per FTE)
--   point_in_time     pay KPIs: every window repeats the month
--   latest_survey     the latest survey up to the month, whatever the window
--   rolling_12m_only  frisknärvaro: a 12-month definition, published as rolling_12m only
--   long_spell_share  sum, plus spells turning long later in the window
--   end_denominator   flow over the stock at the window's last month end (Finnish turnover)
-- KPIs travel as integer numbers (kpi_no) through the windows and joins and are named again
-- at the end: the window sorts and joins on long name strings cost memory, and spilled
-- under the memory limit at region size.
with catalogue as (
    select *, row_number() over (order by kpi_id) as kpi_no from {{ ref('kpi_catalogue') }}
    where {{ in_profile() }}
),

months as (
    select * from {{ ref('int_months') }}
),

units as (
    select period_month as period, org_unit_code from {{ ref('stg_org_units') }}
),

rollup as (
    select
        c.kpi_no, r.period, r.month_no, r.org_unit_code, r.breakdown, r.breakdown_value,
        r.window_adjustment, r.window_end_month_no,
        r.numerator, r.denominator, r.numerator_n, r.denominator_n, r.persons
    from {{ ref('int_kpi_month_rollup') }} r
    join catalogue c
        on c.kpi_id = r.kpi_id
),

monthly as (
    select * from rollup where window_adjustment is null
),

-- Candidate rows: every unit of a month's hierarchy gets a total row for every KPI; a
-- breakdown value gets rows from its first month with facts to 11 months after its last,
-- so a window still covering earlier facts has its row. `published` below keeps the rows
-- that are shown.
fact_spans as (
    select kpi_no, org_unit_code, breakdown, breakdown_value,
           min(month_no) as first_month_no, max(month_no) + 11 as last_month_no
    from monthly
    group by kpi_no, org_unit_code, breakdown, breakdown_value
),

grid as (
    select c.kpi_no, u.period, u.org_unit_code, 'total' as breakdown, 'total' as breakdown_value
    from units u
    cross join catalogue c
    union
    select f.kpi_no, m.period, f.org_unit_code, f.breakdown, f.breakdown_value
    from fact_spans f
    join months m
        on m.month_no between f.first_month_no and f.last_month_no
),

base as (
    select
        g.kpi_no, g.period, m.month_no, m.year, g.org_unit_code, g.breakdown, g.breakdown_value,
        r.numerator, r.denominator, r.numerator_n, r.denominator_n, r.persons,
        case when r.kpi_no is null then 0 else 1 end as has_facts
    from grid g
    join months m
        on m.period = g.period
    left join monthly r
        on r.kpi_no = g.kpi_no
       and r.period = g.period
       and r.org_unit_code = g.org_unit_code
       and r.breakdown = g.breakdown
       and r.breakdown_value = g.breakdown_value
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
            partition by kpi_no, org_unit_code, breakdown, breakdown_value
            order by month_no range between 11 preceding and current row),
        year_window as (
            partition by kpi_no, org_unit_code, breakdown, breakdown_value, year
            order by month_no range between unbounded preceding and current row)
),

windows as (
    select 'month' as window_name
    union all select 'rolling_12m'
    union all select 'year'
),

unpivoted as (
    select
        s.kpi_no, s.period, s.month_no, s.org_unit_code, s.breakdown, s.breakdown_value,
        w.window_name,
        case when c.window_rule in ('point_in_time', 'latest_survey', 'rolling_12m_only')
                  or w.window_name = 'month' then s.numerator
             when w.window_name = 'rolling_12m' then s.numerator_12m
             else s.numerator_ytd end as numerator,
        case when c.window_rule in ('point_in_time', 'latest_survey', 'rolling_12m_only', 'end_denominator')
                  or w.window_name = 'month' then s.denominator
             when w.window_name = 'rolling_12m' then s.denominator_12m
             else s.denominator_ytd end as denominator,
        s.numerator_n,
        s.denominator_n,
        s.persons,
        case when c.window_rule in ('point_in_time', 'latest_survey', 'rolling_12m_only')
                  or w.window_name = 'month' then s.has_facts
             when w.window_name = 'rolling_12m' then s.facts_12m
             else s.facts_ytd end as fact_months
    from sums s
    join catalogue c
        on c.kpi_no = s.kpi_no
    cross join windows w
    where c.window_rule <> 'rolling_12m_only' or w.window_name = 'rolling_12m'
),

adjustments as (
    select
        r.kpi_no, r.window_end_month_no as month_no, r.org_unit_code, r.breakdown, r.breakdown_value,
        r.window_adjustment as window_name,
        sum(r.numerator) as numerator,
        sum(r.denominator) as denominator
    from rollup r
    where r.window_adjustment is not null
    group by r.kpi_no, r.window_end_month_no, r.org_unit_code, r.breakdown, r.breakdown_value,
             r.window_adjustment
),

-- An adjustment's key always has a grid row: its own month's facts span the window end.
combined as (
    select
        u.kpi_no, u.period, u.month_no, u.org_unit_code, u.breakdown, u.breakdown_value, u.window_name,
        case when a.numerator is null then u.numerator else coalesce(u.numerator, 0) + a.numerator end
            as numerator,
        case when a.denominator is null then u.denominator else coalesce(u.denominator, 0) + a.denominator end
            as denominator,
        u.numerator_n,
        u.denominator_n,
        u.persons,
        u.fact_months + case when a.kpi_no is null then 0 else 1 end as fact_months
    from unpivoted u
    left join adjustments a
        on a.kpi_no = u.kpi_no
       and a.month_no = u.month_no
       and a.org_unit_code = u.org_unit_code
       and a.breakdown = u.breakdown
       and a.breakdown_value = u.breakdown_value
       and a.window_name = u.window_name
),

-- Published for units of the month's own hierarchy, where the window holds facts. Counts
-- are published for every unit (0 is a figure); a 12-month definition without 12 loaded
-- months gets an empty total row, so the gap is visible rather than missing.
published as (
    select cb.*
    from combined cb
    join units u
        on u.period = cb.period
       and u.org_unit_code = cb.org_unit_code
    join catalogue c
        on c.kpi_no = cb.kpi_no
    join months m
        on m.period = cb.period
    where cb.fact_months > 0
       or (cb.breakdown = 'total'
           and (c.publish_without_facts
                or (c.window_rule = 'rolling_12m_only' and m.loaded_months_rolling_12m < 12)
                or (c.value_formula = 'change' and not m.has_month_12_earlier)))
),

shaped as (
    select
        p.kpi_no, p.period, p.month_no, p.org_unit_code, p.breakdown, p.breakdown_value, p.window_name,
        c.window_rule, c.value_formula, c.scale, c.population_basis, c.publish_without_facts,
        m.loaded_months_rolling_12m,
        case when p.window_name = 'month' or c.window_rule not in ('stock_mean', 'mean_denominator') then 1
             when p.window_name = 'rolling_12m' then m.loaded_months_rolling_12m
             else m.loaded_months_year end as months_in_window,
        p.numerator as numerator_sum,
        p.denominator as denominator_sum,
        p.numerator_n,
        p.denominator_n,
        p.persons
    from published p
    join catalogue c
        on c.kpi_no = p.kpi_no
    join months m
        on m.period = p.period
),

figures as (
    select
        s.*,
        case
            when s.window_rule = 'rolling_12m_only' and s.loaded_months_rolling_12m < 12 then null
            when s.value_formula = 'mean_ratio' then s.numerator_sum / nullif(s.numerator_n, 0)
            -- No facts means zero for counts and stocks (a unit without employees has
            -- headcount 0), unknown for ratios.
            when s.value_formula = 'count' or s.publish_without_facts or s.window_rule = 'stock_mean'
                then coalesce(s.numerator_sum, 0)
            else s.numerator_sum
        end as numerator,
        case
            when s.window_rule = 'rolling_12m_only' and s.loaded_months_rolling_12m < 12 then null
            when s.value_formula = 'count' then null
            when s.publish_without_facts then coalesce(s.denominator_sum, 0)
            when s.value_formula = 'mean_ratio' then s.denominator_sum / nullif(s.denominator_n, 0)
            when s.window_rule = 'stock_mean' then cast(s.months_in_window as double)
            when s.window_rule = 'mean_denominator' then s.denominator_sum / s.months_in_window
            else s.denominator_sum
        end as denominator
    from shaped s
),

valued as (
    select
        f.*,
        case
            when f.value_formula = 'count' then f.numerator
            when f.value_formula = 'change' then (f.numerator / nullif(f.denominator, 0) - 1) * f.scale
            else f.numerator / nullif(f.denominator, 0) * f.scale
        end as value
    from figures f
),

-- population_n: distinct people over the window and subtree. Exit reasons split exits, not
-- the permanent staff behind the denominator, so reason rows count the total's people.
population_keys as (
    select distinct
        population_basis, window_name, org_unit_code,
        case when breakdown = 'reason' then 'total' else breakdown end as breakdown,
        case when breakdown = 'reason' then 'total' else breakdown_value end as breakdown_value,
        month_no
    from valued
    where population_basis in ('register', 'monthly_paid', 'permanent', 'scheduled', 'hires', 'exits')
),

population_running as (
    select
        population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no, is_key,
        sum(step) over (
            partition by population_basis, window_name, org_unit_code, breakdown, breakdown_value
            order by month_no range between unbounded preceding and current row) as population_n
    from (
        select population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no,
               0 as step, 1 as is_key
        from population_keys
        union all
        select population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no,
               step, 0 as is_key
        from {{ ref('int_kpi_population') }}
    ) steps
),

population as (
    select * from population_running where is_key = 1
)

select
    k.kpi_id,
    v.period,
    v.window_name,
    v.org_unit_code,
    v.breakdown,
    v.breakdown_value,
    v.numerator,
    v.denominator,
    v.value,
    cast(case
        when v.population_basis in ('register', 'monthly_paid', 'permanent', 'scheduled', 'hires', 'exits')
            then coalesce(p.population_n, 0)
        when v.window_rule = 'rolling_12m_only' and v.loaded_months_rolling_12m < 12 then null
        when v.window_rule in ('point_in_time', 'latest_survey', 'rolling_12m_only')
            then coalesce(v.persons, 0)
    end as bigint) as population_n
from valued v
join catalogue k
    on k.kpi_no = v.kpi_no
left join population p
    on p.population_basis = v.population_basis
   and p.window_name = v.window_name
   and p.org_unit_code = v.org_unit_code
   and p.breakdown = case when v.breakdown = 'reason' then 'total' else v.breakdown end
   and p.breakdown_value = case when v.breakdown = 'reason' then 'total' else v.breakdown_value end
   and p.month_no = v.month_no
