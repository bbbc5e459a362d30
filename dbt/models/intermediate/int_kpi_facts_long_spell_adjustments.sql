-- sick_leave_long_share_pct is the one KPI whose window figure is not a sum of its months:
-- a spell that turns long (day 60) in month L makes its hours in earlier months of the same
-- window long too. int_kpi_facts_health counts hours in months at or after L; this model
-- adds the hours of months before L to each window that ends at or after L and still
-- contains their month. A published month is never changed by a later one: the month
-- window gets no adjustment.
-- An adjustment row is keyed by the window it belongs to (period, month_no = the window's
-- end) and keeps its own month's hierarchy (hierarchy_period): so a corrected month can only
-- change periods from itself on, and an incremental refresh need not go back to the start
-- of its spells (dagster_project/refresh_scope.py).
with sick as (
    select
        a.period, a.month_no, a.absence_hours, a.long_from_month_no,
        s.org_unit_code, s.gender, s.age_group, s.employment_type, s.profession_group
    from {{ ref('int_absence_rows') }} a
    join {{ ref('int_employee_months') }} s
        on s.person_key = a.person_key
       and s.period = a.period
    where a.is_sick
      and s.ordinary_hours > 0
      and a.long_from_month_no > a.month_no
),

months as (
    select * from {{ ref('int_months') }}
),

rolling as (
    select s.*, 'rolling_12m' as window_adjustment, m.period as window_end_period, m.month_no as window_end_month_no
    from sick s
    join months m
        on m.month_no >= s.long_from_month_no
       and m.month_no <= s.month_no + 11
),

calendar_year as (
    select s.*, 'year' as window_adjustment, m.period as window_end_period, m.month_no as window_end_month_no
    from sick s
    join months m
        on m.month_no >= s.long_from_month_no
       and m.year = cast(extract(year from s.period) as integer)
),

unioned as (
    select * from rolling
    union all
    select * from calendar_year
)

select
    'sick_leave_long_share_pct' as kpi_id,
    window_end_period as period,
    window_end_month_no as month_no,
    period as hierarchy_period,
    org_unit_code, gender, age_group, employment_type, profession_group,
    cast(null as {{ dbt.type_string() }}) as reason_group,
    absence_hours as numerator,
    0.0 as denominator,
    cast(null as {{ type_fact() }}) as numerator_n,
    cast(null as {{ type_fact() }}) as denominator_n,
    cast(null as bigint) as persons,
    window_adjustment,
    window_end_month_no
from unioned
