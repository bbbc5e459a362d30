{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- Step 3 of the windows: the shown rows and their numerator, denominator and value before
-- suppression (docs/definitions.md). How a KPI turns its window sums into a figure is its
-- rule in seeds/kpi_rules.csv: window_denominator (summed, the loaded month ends, or the
-- sum over the mean of the month ends) and value_formula. Ratios are formed here, from
-- exact sums; kpi_values rounds them once. Every KPI by its kpi_id (e.g. exit_turnover_pct).
with sums as (
    select * from {{ ref('int_kpi_window_sums') }}
    where {{ in_refreshed_periods('period') }}
),

catalogue as (
    select c.kpi_id, c.value_formula, c.scale, c.population_basis, c.publish_without_facts,
           r.window_denominator, r.only_window
    from {{ ref('kpi_catalogue') }} c
    join {{ ref('kpi_rules') }} r
        on r.rule_kind = 'window_rule'
       and r.rule = c.window_rule
),

months as (
    select * from {{ ref('int_months') }}
),

units as (
    select period_month as period, org_unit_code from {{ ref('stg_org_units') }}
),

-- Published for units of the month's own hierarchy, where the window holds facts. Counts
-- are published for every unit (0 is a figure); a 12-month definition without 12 loaded
-- months gets an empty total row, so the gap is visible rather than missing.
shaped as (
    select
        s.kpi_id, s.period, s.month_no, s.org_unit_code, s.breakdown, s.breakdown_value, s.window_name,
        c.value_formula, c.scale, c.population_basis, c.publish_without_facts, c.window_denominator,
        c.only_window = 'rolling_12m' and m.loaded_months_rolling_12m < 12 as lacks_12_months,
        case when s.window_name = 'month' or c.window_denominator = 'sum' then 1
             when s.window_name = 'rolling_12m' then m.loaded_months_rolling_12m
             else m.loaded_months_year end as months_in_window,
        s.numerator as numerator_sum,
        s.denominator as denominator_sum,
        s.numerator_n,
        s.denominator_n,
        s.persons
    from sums s
    join units u
        on u.period = s.period
       and u.org_unit_code = s.org_unit_code
    join catalogue c
        on c.kpi_id = s.kpi_id
    join months m
        on m.period = s.period
    where s.fact_months > 0
       or (s.breakdown = 'total'
           and (c.publish_without_facts
                or (c.only_window = 'rolling_12m' and m.loaded_months_rolling_12m < 12)
                or (c.value_formula = 'change' and not m.has_month_12_earlier)))
),

figures as (
    select
        s.*,
        case
            when s.lacks_12_months then null
            -- Means are quotients of exact sums, rounded once to the fact scale so the column
            -- stays exact for the sums below it (macros/types.sql).
            when s.value_formula = 'mean_ratio'
                then cast(s.numerator_sum / nullif(s.numerator_n, 0) as {{ type_fact() }})
            -- No facts means zero for counts and stocks (a unit without employees has
            -- headcount 0), unknown for ratios.
            when s.value_formula = 'count' or s.publish_without_facts or s.window_denominator = 'month_ends'
                then coalesce(s.numerator_sum, 0)
            else s.numerator_sum
        end as numerator,
        case
            when s.lacks_12_months then null
            when s.value_formula = 'count' then null
            -- Before publish_without_facts: agency_fte is a stock with a row in every month,
            -- and a month without invoices is 0 over that month's 1 month end.
            when s.window_denominator = 'month_ends' then cast(s.months_in_window as {{ type_fact() }})
            when s.publish_without_facts then coalesce(s.denominator_sum, 0)
            when s.value_formula = 'mean_ratio'
                then cast(s.denominator_sum / nullif(s.denominator_n, 0) as {{ type_fact() }})
            when s.window_denominator = 'mean_over_month_ends'
                then cast(s.denominator_sum / s.months_in_window as {{ type_fact() }})
            else s.denominator_sum
        end as denominator
    from shaped s
)

select
    f.kpi_id, f.period, f.month_no, f.org_unit_code, f.breakdown, f.breakdown_value, f.window_name,
    f.population_basis, f.lacks_12_months, f.value_formula,
    f.numerator, f.denominator, f.persons,
    case
        -- A count or sum is its exact numerator, rounded here once (a decimal like
        -- 0.125 must not go through the nearest double first).
        when f.value_formula = 'count' then cast(round(f.numerator, 2) as {{ type_double() }})
        -- A ratio is a double quotient of the exact sums. Written as doubles: DuckDB divides
        -- decimals as doubles anyway, Spark keeps a decimal and cuts its scale to 6 digits
        -- (1 accident / 4830 hours x 1,000,000 came out 207.0, not 207.04).
        when f.value_formula = 'change'
            then (cast(f.numerator as {{ type_double() }}) / nullif(cast(f.denominator as {{ type_double() }}), 0) - 1) * f.scale
        else cast(f.numerator as {{ type_double() }}) / nullif(cast(f.denominator as {{ type_double() }}), 0) * f.scale
    end as value
from figures f
{{ order_by_period() }}
