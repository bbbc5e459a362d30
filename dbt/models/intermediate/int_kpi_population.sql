{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="month_no", on_schema_change="fail") }}
{#- A refresh of periods F..T (docs/incremental.md) rebuilds the steps of the months F..T
    from the members and the hierarchy of F - 12 .. T: a window ending at month m counts
    presence in m - 11 .. m at most, so the counts at F - 1 .. T, and with them the steps
    (count at m minus count at m - 1) of F .. T, need nothing earlier or later. Steps of later
    months stay as they were: the counts after T do not change (the refresh scope already
    reaches every window that holds a changed month). -#}
{%- set read_months = in_refreshed_month_nos('month_no', 12) -%}
{%- set step_months = in_refreshed_month_nos('month_no') %}
-- Distinct people per population basis (exit_turnover_pct: 'permanent'), window end, org
-- unit (with descendants) and breakdown value, computed on intervals instead of
-- person-months so it scales:
--   1. a person's consecutive months in one leaf unit with one breakdown value form a run;
--   2. an (ancestor, descendant) pair of the hierarchy holds for runs of months too;
--   3. their overlap is when the person counts under the ancestor;
--   4. presence in months [a, b] is counted by the windows ending in [a, b] (month),
--      [a, b + 11] (rolling_12m) or [a, December of b's year] (year);
--   5. overlapping coverages of one person merge into islands; each island adds +1 at its
--      start and -1 after its end, and the running sum of these steps is the count (taken
--      per published row in int_kpi_population_n).
-- People travel as integer numbers, not as their 64-character pseudonyms: every window
-- below partitions by person, and long string keys made those sorts spill at region size.
with people as (
    select person_key, row_number() over (order by person_key) as person_no
    from (select distinct person_key from {{ ref('int_population_members') }} where {{ read_months }}) p
),

members as (
    select m.population_basis, p.person_no, m.org_unit_code, m.gender, m.age_group, m.employment_type,
           m.profession_group, m.month_no
    from {{ ref('int_population_members') }} m
    join people p
        on p.person_key = m.person_key
    where {{ read_months }}
),

-- The breakdowns that count people (seeds/kpi_breakdowns.csv: reason cells take the total's).
breakdowns as (
    select breakdown from {{ ref('kpi_breakdowns') }} where counts_people
),

exploded as (
    select
        m.population_basis,
        m.person_no,
        m.org_unit_code,
        b.breakdown,
        case b.breakdown
            when 'total' then 'total'
            when 'gender' then m.gender
            when 'age_group' then m.age_group
            when 'employment_type' then m.employment_type
            when 'profession_group' then m.profession_group
        end as breakdown_value,
        m.month_no
    from members m
    cross join breakdowns b
),

person_runs as (
    select population_basis, person_no, org_unit_code, breakdown, breakdown_value,
           min(month_no) as run_from, max(month_no) as run_to
    from (
        select
            *,
            month_no - row_number() over (
                partition by population_basis, person_no, org_unit_code, breakdown, breakdown_value
                order by month_no) as run_id
        from exploded
        where breakdown_value is not null
    ) r
    group by population_basis, person_no, org_unit_code, breakdown, breakdown_value, run_id
),

closure_months as (
    select * from (
        select ancestor_code, descendant_code, {{ month_no('period') }} as month_no
        from {{ ref('int_org_closure') }}
    ) c
    where {{ read_months }}
),

closure_runs as (
    select ancestor_code, descendant_code, min(month_no) as run_from, max(month_no) as run_to
    from (
        select
            *,
            month_no - row_number() over (
                partition by ancestor_code, descendant_code order by month_no) as run_id
        from closure_months
    ) c
    group by ancestor_code, descendant_code, run_id
),

presence as (
    select
        p.population_basis,
        c.ancestor_code as org_unit_code,
        p.breakdown,
        p.breakdown_value,
        p.person_no,
        greatest(p.run_from, c.run_from) as present_from,
        least(p.run_to, c.run_to) as present_to
    from person_runs p
    join closure_runs c
        on c.descendant_code = p.org_unit_code
       and c.run_from <= p.run_to
       and p.run_from <= c.run_to
),

windows as (
    select window_name from {{ ref('kpi_windows') }}
),

coverage as (
    select
        p.population_basis, w.window_name, p.org_unit_code, p.breakdown, p.breakdown_value,
        p.person_no,
        p.present_from as cover_from,
        case w.window_name
            when 'month' then p.present_to
            when 'rolling_12m' then p.present_to + 11
            else cast(floor(p.present_to / 12.0) as integer) * 12 + 11
        end as cover_to
    from presence p
    cross join windows w
),

flagged as (
    select
        *,
        -- Adjacent coverages need no merging: the -1 and +1 of the same month cancel.
        case when cover_from <= max(cover_to) over (
                 partition by population_basis, window_name, org_unit_code, breakdown, breakdown_value, person_no
                 order by cover_from, cover_to
                 rows between unbounded preceding and 1 preceding)
             then 0 else 1 end as starts_island
    from coverage
),

numbered as (
    select
        *,
        sum(starts_island) over (
            partition by population_basis, window_name, org_unit_code, breakdown, breakdown_value, person_no
            order by cover_from, cover_to
            rows between unbounded preceding and current row) as island
    from flagged
),

islands as (
    select
        population_basis, window_name, org_unit_code, breakdown, breakdown_value,
        min(cover_from) as island_from,
        max(cover_to) as island_to
    from numbered
    group by population_basis, window_name, org_unit_code, breakdown, breakdown_value, person_no, island
),

steps as (
    select population_basis, window_name, org_unit_code, breakdown, breakdown_value,
           island_from as month_no, 1 as step
    from islands
    union all
    select population_basis, window_name, org_unit_code, breakdown, breakdown_value,
           island_to + 1 as month_no, -1 as step
    from islands
)

select
    population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no,
    cast(sum(step) as {{ type_count() }}) as step
from steps
where {{ step_months }}
group by population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no
{{ order_by_period('month_no') }}
