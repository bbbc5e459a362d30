-- Monthly facts for the Finnish indicators of KT's personnel report (docs/definitions.md,
-- "Finnish wellbeing services counties"). Built from the same facts as the Swedish KPIs;
-- only under HRKPI_PROFILE=FI: under SE this model is empty, so a Swedish build does no
-- extra work and publishes exactly what it did before.
{% set finnish = (var('hrkpi_profile', 'SE') | upper) == 'FI' %}
with spine as (
    select
        s.*,
        {{ dbt.datediff('s.period', dbt.dateadd('month', 1, 's.period'), 'day') }} as days_in_month,
        {{ dbt.datediff(dbt.date_trunc('year', 's.period'),
                        dbt.dateadd('year', 1, dbt.date_trunc('year', 's.period')), 'day') }} as days_in_year
    from {{ ref('int_employee_months') }} s
    where {{ 'true' if finnish else 'false' }}
),

-- A person hired during the month is in service from the first day of the employment.
service_start as (
    select person_key, period_month as period, min(employment_start_date) as first_start
    from {{ ref('stg_employees') }}
    group by person_key, period_month
),

-- Unpaid leave (seeds/absence_causes.csv is_unpaid_leave: virka- ja työvapaa, perhevapaa)
-- is not paid service time; the other causes (sickness, holiday, time off in lieu) are (KT's HTV2).
unpaid as (
    select a.person_key, a.period, sum(a.calendar_days * a.extent_pct / 100.0) as unpaid_days
    from {{ ref('int_absence_rows') }} a
    join {{ ref('absence_causes') }} c
        on c.absence_cause_code = a.absence_cause_code
    where c.is_unpaid_leave
    group by a.person_key, a.period
),

hourly_hours as (
    select person_key, period, sum(coalesce(quantity, 0)) as hours
    from {{ ref('int_payroll_lines') }}
    where pay_type_category = 'base_pay'
    group by person_key, period
),

person_years as (
    select
        s.person_key, s.period, s.month_no, s.org_unit_code, s.gender, s.age_group,
        s.employment_type, s.profession_group,
        s.monthly_paid_rate_pct / 100.0
            * greatest(
                0,
                s.days_in_month
                - case when st.first_start > s.period
                       then {{ dbt.datediff('s.period', 'st.first_start', 'day') }} else 0 end
                - coalesce(u.unpaid_days, 0))
            / s.days_in_year
        + case when s.employment_form = 'TIM'
               then coalesce(h.hours, 0) / ({{ param('full_time_hours_per_month') }} * 12)
               else 0 end as htv
    from spine s
    left join service_start st
        on st.person_key = s.person_key and st.period = s.period
    left join unpaid u
        on u.person_key = s.person_key and u.period = s.period
    left join hourly_hours h
        on h.person_key = s.person_key and h.period = s.period
),

sick_days as (
    select
        a.period, a.month_no, s.org_unit_code, s.gender, s.age_group, s.employment_type,
        s.profession_group,
        a.calendar_days * a.extent_pct / 100.0 as days,
        a.is_work_related
    from {{ ref('int_absence_rows') }} a
    join spine s
        on s.person_key = a.person_key
       and s.period = a.period
    where a.is_sick
),

per_htv_kpis as (
    select 'sick_days_per_htv' as kpi_id, false as work_related_only
    union all select 'work_related_sick_days_per_htv', true
),

person_facts as (
    select 'person_years_htv' as kpi_id, period, month_no, org_unit_code, gender, age_group,
           employment_type, profession_group, htv as numerator, cast(null as {{ type_fact() }}) as denominator
    from person_years

    union all
    select k.kpi_id, p.period, p.month_no, p.org_unit_code, p.gender, p.age_group,
           p.employment_type, p.profession_group, 0.0, p.htv
    from person_years p
    cross join per_htv_kpis k

    union all
    select k.kpi_id, d.period, d.month_no, d.org_unit_code, d.gender, d.age_group,
           d.employment_type, d.profession_group, d.days, 0.0
    from sick_days d
    join per_htv_kpis k
        on not k.work_related_only or d.is_work_related
),

-- The same facts as Swedish KPIs, under the Finnish ids: sick hours over the register's
-- ordinary hours (which a Finnish extract delivers as theoretical regular working time),
-- and the Finnish turnover numerators and month-end permanent stocks (the window takes the
-- stock at its last month end, window_rule end_denominator).
relabelled as (
    select
        'sick_leave_theoretical_pct' as kpi_id,
        f.period, f.month_no, f.org_unit_code, f.gender, f.age_group, f.employment_type,
        f.profession_group, f.numerator, f.denominator
    from {{ ref('int_kpi_facts_health') }} f
    where f.kpi_id = 'sick_leave_pct' and {{ 'true' if finnish else 'false' }}
    union all
    select
        case f.kpi_id when 'entry_turnover_pct' then 'entry_turnover_fi_pct' else 'exit_turnover_fi_pct' end,
        f.period, f.month_no, f.org_unit_code, f.gender, f.age_group, f.employment_type,
        f.profession_group, f.numerator, f.denominator
    from {{ ref('int_kpi_facts_workforce') }} f
    where f.kpi_id in ('entry_turnover_pct', 'exit_turnover_pct') and {{ 'true' if finnish else 'false' }}
),

-- Work accidents per million hours worked: every OLYCKSFALL (lost time or not) over the
-- hours worked of the lost-time accident rate (its rows without an accident).
accident_frequency as (
    select 'work_accident_frequency' as kpi_id, period, month_no, org_unit_code,
           1.0 as numerator, 0.0 as denominator
    from {{ ref('int_incidents') }}
    where incident_type = 'OLYCKSFALL' and {{ 'true' if finnish else 'false' }}
    union all
    select 'work_accident_frequency', period, month_no, org_unit_code, 0.0, denominator
    from {{ ref('int_kpi_facts_health') }}
    where kpi_id = 'lost_time_accident_rate' and numerator = 0 and {{ 'true' if finnish else 'false' }}
),

agency as (
    select 'agency_cost_eur' as kpi_id, period, month_no, org_unit_code,
           numerator, cast(null as {{ type_fact() }}) as denominator
    from {{ ref('int_kpi_facts_costs') }}
    where kpi_id = 'agency_cost_sek' and {{ 'true' if finnish else 'false' }}
    union all
    select 'agency_cost_share_fi_pct', period, month_no, org_unit_code, numerator, 0.0
    from {{ ref('int_kpi_facts_costs') }}
    where kpi_id = 'agency_cost_sek' and {{ 'true' if finnish else 'false' }}
    -- Own personnel cost with the year's Finnish employer overhead (sivukulut) instead of
    -- the Swedish PO rate.
    union all
    select 'agency_cost_share_fi_pct', p.period, p.month_no, p.org_unit_code,
           0.0, p.amount * (1 + sk.value / 100.0)
    from {{ ref('int_payroll_lines') }} p
    left join {{ ref('parameters') }} sk
        on sk.parameter = 'sivukulut_rate_pct'
       and sk.year = cast(extract(year from p.period) as integer)
    where p.is_personnel_cost and {{ 'true' if finnish else 'false' }}
),

unit_facts as (
    select * from accident_frequency
    union all select * from agency
)

select
    kpi_id, period, month_no, org_unit_code, gender, age_group, employment_type, profession_group,
    cast(null as {{ dbt.type_string() }}) as reason_group, numerator, denominator,
    cast(null as {{ type_fact() }}) as numerator_n, cast(null as {{ type_fact() }}) as denominator_n,
    cast(null as bigint) as persons
from person_facts
union all
select
    kpi_id, period, month_no, org_unit_code, gender, age_group, employment_type, profession_group,
    null, numerator, denominator, null, null, null
from relabelled
union all
select
    kpi_id, period, month_no, org_unit_code, null, null, null, null,
    null, numerator, denominator, null, null, null
from unit_facts
