-- Facts per breakdown value, summed at the leaf unit and then rolled up over that month's
-- hierarchy: a unit's figure is the sum over itself and its descendants. Only sums travel
-- up; ratios are formed in int_kpi_windowed.
-- Person-level facts are first summed per attribute combination, so the breakdown
-- explosion below works on combinations, not on people.
-- KPIs and breakdowns travel as integer codes through the three aggregations and are
-- named again at the end: long name strings as grouping keys cost memory, and under the
-- memory limit the aggregations spilled to disk (half the time at demo size).
with kpi_codes as (
    select kpi_id, breakdowns, row_number() over (order by kpi_id) as kpi_no
    from {{ ref('kpi_catalogue') }}
    where {{ in_profile() }}
),

breakdowns as (
    {{ breakdown_codes() }}
),

-- The breakdowns each KPI allows, one row per pair: a pattern match against the catalogue's
-- list here, on 27 x 6 rows, so the join with the facts below is an equi-join.
kpi_breakdowns as (
    select c.kpi_no, b.breakdown_no
    from kpi_codes c
    join breakdowns b
        on '|' || c.breakdowns || '|' like '%|' || b.breakdown || '|%'
),

facts as (
    select
        k.kpi_no, f.period, f.month_no, f.org_unit_code, f.gender, f.age_group, f.employment_type,
        f.profession_group, f.reason_group, f.window_adjustment, f.window_end_month_no,
        sum(f.numerator) as numerator,
        sum(f.denominator) as denominator,
        sum(f.numerator_n) as numerator_n,
        sum(f.denominator_n) as denominator_n,
        sum(f.persons) as persons
    from {{ ref('int_kpi_facts') }} f
    join kpi_codes k
        on k.kpi_id = f.kpi_id
    group by k.kpi_no, f.period, f.month_no, f.org_unit_code, f.gender, f.age_group, f.employment_type,
             f.profession_group, f.reason_group, f.window_adjustment, f.window_end_month_no
),

reason_groups as (
    select distinct reason_group from {{ ref('exit_reasons') }}
),

exploded as (
    select
        f.kpi_no,
        f.period,
        f.month_no,
        f.org_unit_code,
        b.breakdown_no,
        case b.breakdown_no
            when 0 then 'total'
            when 1 then f.gender
            when 2 then f.age_group
            when 3 then f.employment_type
            when 4 then f.profession_group
            -- Denominator facts (headcount) have no reason: they count under every reason.
            when 5 then coalesce(f.reason_group, r.reason_group)
        end as breakdown_value,
        f.numerator, f.denominator, f.numerator_n, f.denominator_n, f.persons,
        f.window_adjustment, f.window_end_month_no
    from facts f
    join kpi_breakdowns b
        on b.kpi_no = f.kpi_no
    left join reason_groups r
        on b.breakdown_no = 5
       and f.reason_group is null
),

leaf as (
    select
        kpi_no, period, month_no, org_unit_code, breakdown_no, breakdown_value,
        window_adjustment, window_end_month_no,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(numerator_n) as numerator_n,
        sum(denominator_n) as denominator_n,
        sum(persons) as persons
    from exploded
    where breakdown_value is not null
    group by kpi_no, period, month_no, org_unit_code, breakdown_no, breakdown_value,
             window_adjustment, window_end_month_no
),

rolled as (
    select
        l.kpi_no,
        l.period,
        l.month_no,
        c.ancestor_code as org_unit_code,
        l.breakdown_no,
        l.breakdown_value,
        l.window_adjustment,
        l.window_end_month_no,
        sum(l.numerator) as numerator,
        sum(l.denominator) as denominator,
        sum(l.numerator_n) as numerator_n,
        sum(l.denominator_n) as denominator_n,
        sum(l.persons) as persons
    from leaf l
    join {{ ref('int_org_closure') }} c
        on c.period = l.period
       and c.descendant_code = l.org_unit_code
    group by l.kpi_no, l.period, l.month_no, c.ancestor_code, l.breakdown_no, l.breakdown_value,
             l.window_adjustment, l.window_end_month_no
)

select
    k.kpi_id,
    r.period,
    r.month_no,
    r.org_unit_code,
    b.breakdown,
    r.breakdown_value,
    r.window_adjustment,
    r.window_end_month_no,
    r.numerator,
    r.denominator,
    r.numerator_n,
    r.denominator_n,
    r.persons
from rolled r
join kpi_codes k
    on k.kpi_no = r.kpi_no
join breakdowns b
    on b.breakdown_no = r.breakdown_no
