{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- Step 5 of the windows: every shown figure with its population_n, before suppression and
-- targets: one row per kpi_id (e.g. exit_turnover_pct), period, window, org unit and
-- breakdown value. The steps before it: int_kpi_window_grid (candidate rows),
-- int_kpi_window_sums (window sums), int_kpi_window_figures (numerator, denominator,
-- value), int_kpi_population_n (distinct people).
with figures as (
    select * from {{ ref('int_kpi_window_figures') }}
    where {{ in_refreshed_periods('period') }}
),

bases as (
    select population_basis, counted_as from {{ ref('population_bases') }}
),

people_breakdowns as (
    select breakdown from {{ ref('kpi_breakdowns') }} where counts_people
),

-- Filtered like the figures: unfiltered, DuckDB hashed the 20 M figures of a corrected month
-- at L and probed them with every period's people counts, out of its 3 GB.
people as (
    select * from {{ ref('int_kpi_population_n') }}
    where {{ in_refreshed_periods('period') }}
)

select
    f.kpi_id,
    f.period,
    f.window_name,
    f.org_unit_code,
    f.breakdown,
    f.breakdown_value,
    f.numerator,
    f.denominator,
    f.value,
    cast(case
        when b.counted_as = 'distinct_people' then coalesce(p.population_n, 0)
        when f.lacks_12_months then null
        -- Facts that carry their people (survey respondents, pay, frisknärvaro).
        when c.window_figure = 'month' then coalesce(f.persons, 0)
    end as bigint) as population_n
from figures f
join {{ ref('kpi_catalogue') }} k
    on k.kpi_id = f.kpi_id
join {{ ref('kpi_rules') }} c
    on c.rule_kind = 'window_rule'
   and c.rule = k.window_rule
left join bases b
    on b.population_basis = f.population_basis
left join people_breakdowns pb
    on pb.breakdown = f.breakdown
left join people p
    on p.population_basis = f.population_basis
   and p.window_name = f.window_name
   and p.org_unit_code = f.org_unit_code
   and p.breakdown = case when pb.breakdown is null then 'total' else f.breakdown end
   and p.breakdown_value = case when pb.breakdown is null then 'total' else f.breakdown_value end
   and p.month_no = f.month_no
{{ order_by_period() }}
