-- Facts per breakdown value, summed at the leaf unit and then rolled up over that month's
-- hierarchy: a unit's figure is the sum over itself and its descendants. Only sums travel
-- up; ratios are formed in int_kpi_windowed.
-- Person-level facts are first summed per attribute combination, so the breakdown
-- explosion below works on combinations, not on people.
with facts as (
    select
        kpi_id, period, month_no, org_unit_code, gender, age_group, employment_type,
        profession_group, reason_group, window_adjustment, window_end_month_no,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(numerator_n) as numerator_n,
        sum(denominator_n) as denominator_n,
        sum(persons) as persons
    from {{ ref('int_kpi_facts') }}
    group by kpi_id, period, month_no, org_unit_code, gender, age_group, employment_type,
             profession_group, reason_group, window_adjustment, window_end_month_no
),

breakdowns as (
    select 'total' as breakdown
    union all select 'gender'
    union all select 'age_group'
    union all select 'employment_type'
    union all select 'profession_group'
    union all select 'reason'
),

-- The breakdowns each KPI allows, one row per pair: a pattern match against the catalogue's
-- list here, on 27 x 6 rows, so the join with the facts below is an equi-join.
kpi_breakdowns as (
    select c.kpi_id, b.breakdown
    from {{ ref('kpi_catalogue') }} c
    join breakdowns b
        on '|' || c.breakdowns || '|' like '%|' || b.breakdown || '|%'
),

reason_groups as (
    select distinct reason_group from {{ ref('exit_reasons') }}
),

exploded as (
    select
        f.kpi_id,
        f.period,
        f.month_no,
        f.org_unit_code,
        b.breakdown,
        case b.breakdown
            when 'total' then 'total'
            when 'gender' then f.gender
            when 'age_group' then f.age_group
            when 'employment_type' then f.employment_type
            when 'profession_group' then f.profession_group
            -- Denominator facts (headcount) have no reason: they count under every reason.
            when 'reason' then coalesce(f.reason_group, r.reason_group)
        end as breakdown_value,
        f.numerator, f.denominator, f.numerator_n, f.denominator_n, f.persons,
        f.window_adjustment, f.window_end_month_no
    from facts f
    join kpi_breakdowns b
        on b.kpi_id = f.kpi_id
    left join reason_groups r
        on b.breakdown = 'reason'
       and f.reason_group is null
),

leaf as (
    select
        kpi_id, period, month_no, org_unit_code, breakdown, breakdown_value,
        window_adjustment, window_end_month_no,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(numerator_n) as numerator_n,
        sum(denominator_n) as denominator_n,
        sum(persons) as persons
    from exploded
    where breakdown_value is not null
    group by kpi_id, period, month_no, org_unit_code, breakdown, breakdown_value,
             window_adjustment, window_end_month_no
)

select
    l.kpi_id,
    l.period,
    l.month_no,
    c.ancestor_code as org_unit_code,
    l.breakdown,
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
group by l.kpi_id, l.period, l.month_no, c.ancestor_code, l.breakdown, l.breakdown_value,
         l.window_adjustment, l.window_end_month_no
