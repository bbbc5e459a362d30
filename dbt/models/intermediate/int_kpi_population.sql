-- Distinct people per population basis, window end, org unit (with descendants) and
-- breakdown value, computed without expanding every person-month into every window:
-- a person present in month p is counted by the windows ending in [p, p + 11] (rolling),
-- [p, December] (year) or [p, p] (month). Overlapping coverages of one person merge into
-- islands; each island adds +1 at its start and -1 after its end, and the running sum of
-- these steps is the count (taken per published row in int_kpi_windowed).
with members as (
    select * from {{ ref('int_population_members') }}
),

breakdowns as (
    select 'total' as breakdown
    union all select 'gender'
    union all select 'age_group'
    union all select 'employment_type'
    union all select 'profession_group'
),

exploded as (
    select distinct
        m.population_basis,
        c.ancestor_code as org_unit_code,
        b.breakdown,
        case b.breakdown
            when 'total' then 'total'
            when 'gender' then m.gender
            when 'age_group' then m.age_group
            when 'employment_type' then m.employment_type
            when 'profession_group' then m.profession_group
        end as breakdown_value,
        m.person_key,
        m.month_no
    from members m
    join {{ ref('int_org_closure') }} c
        on c.period = m.period
       and c.descendant_code = m.org_unit_code
    cross join breakdowns b
),

windows as (
    select 'month' as window_name
    union all select 'rolling_12m'
    union all select 'year'
),

coverage as (
    select
        e.population_basis, w.window_name, e.org_unit_code, e.breakdown, e.breakdown_value,
        e.person_key,
        e.month_no as cover_from,
        case w.window_name
            when 'month' then e.month_no
            when 'rolling_12m' then e.month_no + 11
            else cast(floor(e.month_no / 12.0) as integer) * 12 + 11
        end as cover_to
    from exploded e
    cross join windows w
    where e.breakdown_value is not null
),

flagged as (
    select
        *,
        case when cover_from <= max(cover_to) over (
                 partition by population_basis, window_name, org_unit_code, breakdown, breakdown_value, person_key
                 order by cover_from
                 rows between unbounded preceding and 1 preceding)
             then 0 else 1 end as starts_island
    from coverage
),

numbered as (
    select
        *,
        sum(starts_island) over (
            partition by population_basis, window_name, org_unit_code, breakdown, breakdown_value, person_key
            order by cover_from
            rows between unbounded preceding and current row) as island
    from flagged
),

islands as (
    select
        population_basis, window_name, org_unit_code, breakdown, breakdown_value,
        min(cover_from) as island_from,
        max(cover_to) as island_to
    from numbered
    group by population_basis, window_name, org_unit_code, breakdown, breakdown_value, person_key, island
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
    sum(step) as step
from steps
group by population_basis, window_name, org_unit_code, breakdown, breakdown_value, month_no
