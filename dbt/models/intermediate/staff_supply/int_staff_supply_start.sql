{{ config(materialized="table") }}
-- The state the staff supply outlook's small-group rule starts from: for each org unit
-- (covering its descendants in the latest loaded month's hierarchy) and profession group
-- ('total' for all), today's staff and how many of them reach the retirement age in each of
-- the next years (var staff_supply_years) after the latest loaded month's year; year_offset 0
-- counts those who reach it in that year or have already. A count about suppression_max_n or
-- fewer employees is `suppressed` (primary suppression); int_staff_supply_suppressed adds the
-- complementary passes. The age is seeds/retirement_ages.csv for the organisation profile and
-- birth year. A table, not a view: the audit store keeps the build's views as views over the
-- published parts, and DuckDB cannot bind this query's joins over those (a "non-inner join on
-- correlated columns"); it is small (units x groups x years).
{%- set years = var('staff_supply_years', 10) %}
with latest as (
    select max(period) as period from {{ ref('int_months') }}
),

latest_year as (
    select period, cast(extract(year from period) as integer) as year from latest
),

ages as (
    select * from {{ ref('retirement_ages') }}
    where profile = '{{ profile() }}'
),

-- Today's staff: everyone in the register at the latest month end (all employment forms, as
-- headcount). The year the age is reached: birth year + the age rounded to whole years as
-- for someone born on 1 July (63 y 9 m is reached on 1 April of birth year + 64), because
-- the warehouse keeps the birth year only.
staff as (
    select
        e.person_key,
        e.org_unit_code,
        e.profession_group,
        e.birth_year + cast(floor(a.age_years + a.age_months / 12.0 + 0.5) as integer) as reaches_year
    from {{ ref('int_employee_months') }} e
    join latest l
        on e.period = l.period
    left join ages a
        on (a.birth_year_from is null or e.birth_year >= a.birth_year_from)
       and (a.birth_year_to is null or e.birth_year <= a.birth_year_to)
),

units as (
    select u.org_unit_code, u.parent_code
    from {{ ref('stg_org_units') }} u
    join latest l
        on u.period_month = l.period
),

rolled_up as (
    select c.ancestor_code as org_unit_code, s.person_key, s.profession_group, s.reaches_year
    from staff s
    cross join latest l
    join {{ ref('int_org_closure') }} c
        on c.period = l.period
       and c.descendant_code = s.org_unit_code
),

by_group as (
    select org_unit_code, profession_group, person_key, reaches_year from rolled_up
    union all
    select org_unit_code, 'total' as profession_group, person_key, reaches_year from rolled_up
),

staff_counts as (
    select org_unit_code, profession_group, count(distinct person_key) as staff_n
    from by_group
    group by org_unit_code, profession_group
),

reaching_counts as (
    select
        g.org_unit_code,
        g.profession_group,
        case when g.reaches_year <= y.year then 0 else g.reaches_year - y.year end as year_offset,
        count(distinct g.person_key) as reaching_n
    from by_group g
    join latest_year y
        on g.reaches_year <= y.year + {{ years }}
    group by g.org_unit_code, g.profession_group,
             case when g.reaches_year <= y.year then 0 else g.reaches_year - y.year end
),

offsets as (
    {%- for i in range(years + 1) %}
    select {{ i }} as year_offset{{ ' union all' if not loop.last }}
    {%- endfor %}
)

select
    s.org_unit_code,
    u.parent_code,
    s.profession_group,
    o.year_offset,
    s.staff_n,
    coalesce(r.reaching_n, 0) as reaching_n,
    coalesce(r.reaching_n, 0) <= {{ param('suppression_max_n') }} as suppressed,
    coalesce(r.reaching_n, 0) <= {{ param('suppression_max_n') }} as added
from staff_counts s
join units u
    on u.org_unit_code = s.org_unit_code
cross join offsets o
left join reaching_counts r
    on r.org_unit_code = s.org_unit_code
   and r.profession_group = s.profession_group
   and r.year_offset = o.year_offset
