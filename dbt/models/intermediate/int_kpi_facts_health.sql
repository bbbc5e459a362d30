{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- Monthly facts for sick leave, healthy presence and incidents. Sick hours count only for
-- employees in that month's register with ordinary hours: the population of the denominator.
-- Incremental by period: a month's facts come from that month's rows, except healthy
-- presence, which reads the person's 11 months before (docs/incremental.md).
{% call in_period_order() %}
with spine as (
    select * from {{ ref('int_employee_months') }}
    where {{ in_refreshed_periods('period') }}
),

scheduled as (
    select * from spine where ordinary_hours > 0
),

absence as (
    select * from {{ ref('int_absence_rows') }}
    where {{ in_refreshed_periods('period') }}
),

sick as (
    select
        a.*,
        s.org_unit_code, s.gender, s.age_group, s.employment_type, s.profession_group
    from absence a
    join scheduled s
        on s.person_key = a.person_key
       and s.period = a.period
    where a.is_sick
),

sick_kpis as (
    select 'sick_leave_pct' as kpi_id
    union all select 'sick_leave_short_pct'
    union all select 'work_related_sick_leave_pct'
),

ordinary_hours as (
    select k.kpi_id, s.period, s.month_no, s.org_unit_code, s.gender, s.age_group,
           s.employment_type, s.profession_group, 0.0 as numerator, s.ordinary_hours as denominator
    from scheduled s
    cross join sick_kpis k
    -- The long share's denominator is sick time, but its breakdown values must exist for
    -- everyone scheduled: a group without sick hours still has a row (0 / 0), or the total
    -- would reveal the one group that has them.
    union all
    select 'sick_leave_long_share_pct', s.period, s.month_no, s.org_unit_code, s.gender, s.age_group,
           s.employment_type, s.profession_group, 0.0, 0.0
    from scheduled s
),

sick_hours as (
    select 'sick_leave_pct' as kpi_id, period, month_no, org_unit_code, gender, age_group,
           employment_type, profession_group, absence_hours as numerator, 0.0 as denominator
    from sick
    union all
    select 'sick_leave_short_pct', period, month_no, org_unit_code, gender, age_group,
           employment_type, profession_group, hours_days_1_to_14, 0.0
    from sick
    union all
    select 'work_related_sick_leave_pct', period, month_no, org_unit_code, gender, age_group,
           employment_type, profession_group, absence_hours, 0.0
    from sick
    where is_work_related
    -- Long share: hours of spells already long in their own month. Hours of a spell that
    -- turns long in a later month of a window are added per window in
    -- int_kpi_window_adjustments.
    union all
    select 'sick_leave_long_share_pct', period, month_no, org_unit_code, gender, age_group,
           employment_type, profession_group,
           case when long_from_month_no <= month_no then absence_hours else 0.0 end,
           absence_hours
    from sick
),

-- Frisknärvaro: present at all 12 month ends of the rolling window ending with the month,
-- with at most the parameter's sick days in those months. Attributed to the unit at the end.
presence as (
    select
        s.*,
        count(*) over (
            partition by s.person_key order by s.month_no
            range between 11 preceding and current row) as months_present,
        sum(coalesce(d.sick_days, 0)) over (
            partition by s.person_key order by s.month_no
            range between 11 preceding and current row) as sick_days_12m
    from {{ ref('int_employee_months') }} s
    left join {{ ref('int_sick_days') }} d
        on d.person_key = s.person_key
       and d.period = s.period
       and {{ in_refreshed_periods('d.period', 11) }}
    where {{ in_refreshed_periods('s.period', 11) }}
),

healthy_presence as (
    select 'healthy_presence_pct' as kpi_id, period, month_no, org_unit_code, gender, age_group,
           employment_type, profession_group,
           case when sick_days_12m <= {{ param('healthy_presence_max_sick_days') }} then 1.0 else 0.0 end
               as numerator,
           1.0 as denominator
    from presence
    where months_present = 12
      and {{ in_refreshed_periods('period') }}
),

incidents as (
    select * from {{ ref('int_incidents') }}
    where {{ in_refreshed_periods('period') }}
),

incident_counts as (
    select 'work_accidents' as kpi_id, period, month_no, org_unit_code,
           1.0 as numerator, cast(null as {{ type_fact() }}) as denominator
    from incidents where incident_type = 'OLYCKSFALL'
    union all
    select 'incidents', period, month_no, org_unit_code, 1.0, null
    from incidents where incident_type = 'TILLBUD'
    union all
    select 'incident_to_accident_ratio', period, month_no, org_unit_code,
           case when incident_type = 'TILLBUD' then 1.0 else 0.0 end,
           case when incident_type = 'OLYCKSFALL' then 1.0 else 0.0 end
    from incidents where incident_type in ('TILLBUD', 'OLYCKSFALL')
    union all
    select 'lost_time_accident_rate', period, month_no, org_unit_code, 1.0, 0.0
    from incidents where incident_type = 'OLYCKSFALL' and lost_days >= 1
),

-- Hours worked (LTIFR denominator): ordinary hours of employees with ordinary hours - their
-- absence hours of every cause + overtime and extra hours. Hourly staff's hours are neither.
absence_all_causes as (
    select a.period, a.month_no, s.org_unit_code, a.absence_hours
    from absence a
    join scheduled s
        on s.person_key = a.person_key
       and s.period = a.period
),

hours_worked as (
    select 'lost_time_accident_rate' as kpi_id, period, month_no, org_unit_code,
           0.0 as numerator, ordinary_hours as denominator
    from scheduled
    union all
    select 'lost_time_accident_rate', period, month_no, org_unit_code, 0.0, -absence_hours
    from absence_all_causes
    union all
    select 'lost_time_accident_rate', period, month_no, org_unit_code, 0.0, coalesce(quantity, 0)
    from {{ ref('int_payroll_lines') }}
    where is_overtime_or_extra
      and {{ in_refreshed_periods('period') }}
),

person_facts as (
    select *, cast(null as bigint) as persons from ordinary_hours
    union all select *, null from sick_hours
    union all select *, 1 from healthy_presence
),

unit_facts as (
    select * from incident_counts
    union all select * from hours_worked
)

select
    kpi_id, period, month_no, org_unit_code, gender, age_group, employment_type, profession_group,
    cast(null as {{ dbt.type_string() }}) as reason_group, numerator, denominator,
    cast(null as {{ type_fact() }}) as numerator_n, cast(null as {{ type_fact() }}) as denominator_n, persons
from person_facts
union all
select
    kpi_id, period, month_no, org_unit_code, null, null, null, null,
    null, numerator, denominator, null, null, null
from unit_facts
{% endcall %}
