{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- Facts per breakdown value, summed at the leaf unit and then rolled up over that month's
-- hierarchy: a unit's figure is the sum over itself and its descendants. Only sums travel
-- up; ratios are formed in int_kpi_window_figures. "That month" is the fact's
-- hierarchy_period: a carried survey result keeps the hierarchy of the survey's own month.
-- Every KPI passes through here by its kpi_id (exit_turnover_pct as any other:
-- docs/kpi-path.md). Person-level facts are first summed per attribute combination, so the
-- breakdown explosion below works on combinations, not on people. Breakdowns travel as the
-- integer breakdown_no of seeds/kpi_breakdowns.csv and are named again at the end.
with catalogue as (
    -- Only the KPIs of the organisation profile (HRKPI_PROFILE) travel on: macros/profile.sql.
    select kpi_id, breakdowns from {{ ref('kpi_catalogue') }}
    where {{ in_profile() }}
),

breakdowns as (
    select breakdown, breakdown_no from {{ ref('kpi_breakdowns') }}
),

-- The breakdowns each KPI allows, one row per pair: a pattern match against the catalogue's
-- list here, on 27 x 6 rows, so the join with the facts below is an equi-join.
kpi_breakdowns as (
    select c.kpi_id, b.breakdown, b.breakdown_no
    from catalogue c
    join breakdowns b
        on '|' || c.breakdowns || '|' like '%|' || b.breakdown || '|%'
),

facts as (
    select
        f.kpi_id, f.period, f.month_no, f.hierarchy_period, f.org_unit_code, f.gender, f.age_group, f.employment_type,
        f.profession_group, f.reason_group, f.window_adjustment, f.window_end_month_no,
        sum(f.numerator) as numerator,
        sum(f.denominator) as denominator,
        sum(f.numerator_n) as numerator_n,
        sum(f.denominator_n) as denominator_n,
        sum(f.persons) as persons
    from {{ ref('int_kpi_facts') }} f
    where {{ in_refreshed_periods('f.period') }}
    group by f.kpi_id, f.period, f.month_no, f.hierarchy_period, f.org_unit_code, f.gender, f.age_group, f.employment_type,
             f.profession_group, f.reason_group, f.window_adjustment, f.window_end_month_no
),

reason_groups as (
    select distinct reason_group from {{ ref('exit_reasons') }}
),

exploded as (
    select
        f.kpi_id,
        f.period,
        f.month_no,
        f.hierarchy_period,
        f.org_unit_code,
        b.breakdown_no,
        -- Which fact attribute each breakdown of seeds/kpi_breakdowns.csv reads.
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
        kpi_id, period, month_no, hierarchy_period, org_unit_code, breakdown_no, breakdown_value,
        window_adjustment, window_end_month_no,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        sum(numerator_n) as numerator_n,
        sum(denominator_n) as denominator_n,
        sum(persons) as persons
    from exploded
    where breakdown_value is not null
    group by kpi_id, period, month_no, hierarchy_period, org_unit_code, breakdown_no,
             breakdown_value, window_adjustment, window_end_month_no
),

rolled as (
    select
        l.kpi_id,
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
        on c.period = l.hierarchy_period
       and c.descendant_code = l.org_unit_code
    group by l.kpi_id, l.period, l.month_no, c.ancestor_code, l.breakdown_no, l.breakdown_value,
             l.window_adjustment, l.window_end_month_no
)

select
    r.kpi_id,
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
    cast(r.persons as {{ type_count() }}) as persons
from rolled r
join breakdowns b
    on b.breakdown_no = r.breakdown_no
{{ order_by_period() }}
