-- Staff supply outlook (issue 17): for each org unit (covering its descendants in the latest
-- loaded month's hierarchy) and profession group ('total' for all), today's staff and how many
-- of them reach the retirement age in each of the next 10 calendar years (var
-- staff_supply_years) after the latest loaded month's year; year_offset 0 counts those who
-- reach it in that year or have already.
-- The age is seeds/retirement_ages.csv for the organisation profile and birth year.
--
-- Small groups: a count about suppression_max_n or fewer employees is hidden (its share too),
-- as every person-based figure. A hidden count next to a shown total, or as the only hidden
-- child of a shown unit, could be recovered by subtraction, so complementary passes hide the
-- smallest shown neighbour as well; a fixed number of passes (var staff_supply_passes) is
-- checked by the test staff_supply_not_recoverable, which fails the build if one more is needed.
{%- set passes = var('staff_supply_passes', 4) %}
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
),

pass_0 as (
    select
        s.org_unit_code,
        u.parent_code,
        s.profession_group,
        o.year_offset,
        s.staff_n,
        coalesce(r.reaching_n, 0) as reaching_n,
        coalesce(r.reaching_n, 0) <= {{ param('suppression_max_n') }} as suppressed
    from staff_counts s
    join units u
        on u.org_unit_code = s.org_unit_code
    cross join offsets o
    left join reaching_counts r
        on r.org_unit_code = s.org_unit_code
       and r.profession_group = s.profession_group
       and r.year_offset = o.year_offset
){{ ',' if passes > 0 }}

{%- for i in range(1, passes + 1) %}
{%- set prev = 'pass_' ~ (i - 1) %}

-- Pass {{ i }}: a unit-year with one hidden group and a shown total hides its smallest shown
-- group (the total, if no group is shown); a shown unit with one hidden child hides that
-- child's smallest shown sibling, or itself when the child has none.
{{ prev }}_groups as (
    select
        org_unit_code,
        year_offset,
        sum(case when profession_group <> 'total' and suppressed then 1 else 0 end) as hidden_groups,
        sum(case when profession_group <> 'total' and not suppressed then 1 else 0 end) as shown_groups,
        max(case when profession_group = 'total' and not suppressed then 1 else 0 end) as total_shown
    from {{ prev }}
    group by org_unit_code, year_offset
),

{{ prev }}_children as (
    select
        c.parent_code,
        c.profession_group,
        c.year_offset,
        sum(case when c.suppressed then 1 else 0 end) as hidden_children,
        sum(case when c.suppressed then 0 else 1 end) as shown_children
    from {{ prev }} c
    join {{ prev }} p
        on p.org_unit_code = c.parent_code
       and p.profession_group = c.profession_group
       and p.year_offset = c.year_offset
       and not p.suppressed
    group by c.parent_code, c.profession_group, c.year_offset
),

{{ prev }}_ranked as (
    select
        x.*,
        row_number() over (
            partition by x.org_unit_code, x.year_offset, (x.profession_group = 'total' or x.suppressed)
            order by x.reaching_n, x.profession_group
        ) as rank_in_unit,
        row_number() over (
            partition by x.parent_code, x.profession_group, x.year_offset, x.suppressed
            order by x.reaching_n, x.org_unit_code
        ) as rank_among_siblings
    from {{ prev }} x
),

pass_{{ i }} as (
    select
        r.org_unit_code,
        r.parent_code,
        r.profession_group,
        r.year_offset,
        r.staff_n,
        r.reaching_n,
        r.suppressed
        or (g.hidden_groups = 1 and g.total_shown = 1 and not r.suppressed and (
                (r.profession_group <> 'total' and r.rank_in_unit = 1)
                or (r.profession_group = 'total' and g.shown_groups = 0)))
        or (coalesce(c.hidden_children, 0) = 1 and not r.suppressed and r.rank_among_siblings = 1)
        or (coalesce(own.hidden_children, 0) = 1 and own.shown_children = 0)
            as suppressed
    from {{ prev }}_ranked r
    join {{ prev }}_groups g
        on g.org_unit_code = r.org_unit_code
       and g.year_offset = r.year_offset
    left join {{ prev }}_children c
        on c.parent_code = r.parent_code
       and c.profession_group = r.profession_group
       and c.year_offset = r.year_offset
    -- The unit's own children: one hidden and none shown to hide with it (an only child)
    -- hides the unit itself, as kpi_values does.
    left join {{ prev }}_children own
        on own.parent_code = r.org_unit_code
       and own.profession_group = r.profession_group
       and own.year_offset = r.year_offset
){{ ',' if not loop.last }}
{%- endfor %}

select
    cast(y.period as date) as period,
    cast(f.org_unit_code as {{ dbt.type_string() }}) as org_unit_code,
    cast(f.profession_group as {{ dbt.type_string() }}) as profession_group,
    cast(f.year_offset as integer) as year_offset,
    cast(y.year + f.year_offset as integer) as year,
    cast(f.staff_n as bigint) as staff_n,
    cast(case when f.suppressed then null else f.reaching_n end as bigint) as reaching_n,
    cast(case when f.suppressed or f.staff_n = 0 then null
              else round(100.0 * f.reaching_n / f.staff_n, 1) end as {{ type_double() }}) as reaching_share_pct,
    cast(f.suppressed as boolean) as suppressed
from pass_{{ passes }} f
cross join latest_year y
