-- The statutory annual sick-absence disclosure (Lag (2018:597), SKR's seven measures): the
-- whole organisation's calendar-year figures at the last loaded month of each year, read
-- from kpi_values so the annual report and the dashboard can never disagree. Groups of
-- suppression_max_n or fewer employees are not reported (suppressed).
-- months_covered says how much of the year a figure covers: a year loaded from December
-- only is one month, not the year, and must not be copied into the annual report as such.
with last_months as (
    select year, min(period) as first_month, max(period) as period, count(*) as months_covered
    from {{ ref('int_months') }}
    group by year
),

roots as (
    select period_month as period, org_unit_code
    from {{ ref('stg_org_units') }}
    where parent_code is null
),

-- One measure name per statutory measure, the group in group_value.
measures as (
    select 'sick_leave_pct' as kpi_id, 'total' as breakdown, 'total' as breakdown_value, 'total' as measure
    union all select 'sick_leave_long_share_pct', 'total', 'total', 'long_share'
    union all select 'sick_leave_pct', 'gender', 'K', 'women'
    union all select 'sick_leave_pct', 'gender', 'M', 'men'
    union all select 'sick_leave_pct', 'age_group', '<=29', 'age_<=29'
    union all select 'sick_leave_pct', 'age_group', '30-49', 'age_30-49'
    union all select 'sick_leave_pct', 'age_group', '>=50', 'age_>=50'
),

values_at_year_end as (
    select
        l.year,
        l.first_month,
        l.period as last_month,
        l.months_covered,
        m.measure,
        k.breakdown_value as group_value,
        k.numerator,
        k.denominator,
        k.value,
        k.population_n,
        k.suppressed
    from last_months l
    join roots r
        on r.period = l.period
    join {{ ref('kpi_values') }} k
        on k.period = l.period
       and k.org_unit_code = r.org_unit_code
       and k.{{ adapter.quote('window') }} = 'year'
    join measures m
        on m.kpi_id = k.kpi_id
       and m.breakdown = k.breakdown
       and m.breakdown_value = k.breakdown_value
)

select
    cast(year as integer) as year,
    cast(measure as {{ dbt.type_string() }}) as measure,
    cast(group_value as {{ dbt.type_string() }}) as group_value,
    cast(numerator as {{ type_double() }}) as numerator_hours,
    cast(denominator as {{ type_double() }}) as denominator_hours,
    cast(value as {{ type_double() }}) as value_pct,
    cast(population_n as bigint) as population_n,
    cast(suppressed as boolean) as suppressed,
    cast(months_covered as integer) as months_covered,
    cast(first_month as date) as first_month,
    cast(last_month as date) as last_month
from values_at_year_end
