{{ config(materialized="view") }}
-- Step 4 of the windows: population_n, the distinct people behind a figure over its window
-- and subtree, for the population bases counted as distinct people (seeds/
-- population_bases.csv). int_kpi_population gives +1/-1 steps per month; the running sum at
-- a shown row's month is the count. A breakdown that does not count people (reason:
-- seeds/kpi_breakdowns.csv) takes the total's people: exit reasons split exits, not the
-- permanent staff behind the denominator. Every KPI by its kpi_id (e.g. exit_turnover_pct
-- counts 'permanent'). A view: read once, by int_kpi_windowed.
with bases as (
    select population_basis from {{ ref('population_bases') }} where counted_as = 'distinct_people'
),

people_breakdowns as (
    select breakdown from {{ ref('kpi_breakdowns') }} where counts_people
),

keys as (
    select distinct
        f.population_basis, f.window_name, f.org_unit_code,
        case when b.breakdown is null then 'total' else f.breakdown end as breakdown,
        case when b.breakdown is null then 'total' else f.breakdown_value end as breakdown_value,
        f.month_no
    from {{ ref('int_kpi_window_figures') }} f
    join bases p
        on p.population_basis = f.population_basis
    left join people_breakdowns b
        on b.breakdown = f.breakdown
),

running as (
    select
        population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no, is_key,
        sum(step) over (
            partition by population_basis, window_name, org_unit_code, breakdown, breakdown_value
            order by month_no range between unbounded preceding and current row) as population_n
    from (
        select population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no,
               0 as step, 1 as is_key
        from keys
        union all
        select population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no,
               step, 0 as is_key
        from {{ ref('int_kpi_population') }}
    ) steps
)

select population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no, population_n
from running
where is_key = 1
