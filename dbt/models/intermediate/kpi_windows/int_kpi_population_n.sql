{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- Step 4 of the windows: population_n, the distinct people behind a figure over its window
-- and subtree, for the population bases counted as distinct people (seeds/
-- population_bases.csv). int_kpi_population gives +1/-1 steps per month; the sum of the steps
-- up to a shown row's month is the count. A breakdown that does not count people (reason:
-- seeds/kpi_breakdowns.csv) takes the total's people: exit reasons split exits, not the
-- permanent staff behind the denominator. Every KPI by its kpi_id (e.g. exit_turnover_pct
-- counts 'permanent').
-- A table by period, like the models around it (docs/incremental.md): a refresh of periods
-- F..T adds the steps before F as one sum per key (a hash aggregate) to a running sum over
-- the steps of F..T only. As a view, every refresh ran the running sum over every step of
-- every month (at L most of int_kpi_windowed's 49 s for a new month).
{%- set months = refresh_month_nos() -%}
{%- set earlier_steps = 'false' if months is none else 'month_no < ' ~ months.first -%}
{%- set refreshed_steps = in_refreshed_month_nos('month_no') %}
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
        f.month_no,
        f.period
    from {{ ref('int_kpi_window_figures') }} f
    join bases p
        on p.population_basis = f.population_basis
    left join people_breakdowns b
        on b.breakdown = f.breakdown
    where {{ in_refreshed_periods('f.period') }}
),

-- The count each key starts the refreshed months with (none on a full build).
earlier as (
    select population_basis, window_name, org_unit_code, breakdown, breakdown_value,
           sum(step) as population_n
    from {{ ref('int_kpi_population') }}
    where {{ earlier_steps }}
    group by population_basis, window_name, org_unit_code, breakdown, breakdown_value
),

running as (
    select
        population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no, period,
        is_key,
        sum(step) over (
            partition by population_basis, window_name, org_unit_code, breakdown, breakdown_value
            order by month_no range between unbounded preceding and current row) as population_n
    from (
        select population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no,
               period, 0 as step, 1 as is_key
        from keys
        union all
        select population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no,
               cast(null as date), step, 0 as is_key
        from {{ ref('int_kpi_population') }}
        where {{ refreshed_steps }}
    ) steps
)

select
    r.population_basis, r.window_name, r.org_unit_code, r.breakdown, r.breakdown_value, r.month_no,
    r.period,
    cast(coalesce(e.population_n, 0) + r.population_n as {{ type_count() }}) as population_n
from running r
left join earlier e
    on e.population_basis = r.population_basis
   and e.window_name = r.window_name
   and e.org_unit_code = r.org_unit_code
   and e.breakdown = r.breakdown
   and e.breakdown_value = r.breakdown_value
where r.is_key = 1
{{ order_by_period() }}
