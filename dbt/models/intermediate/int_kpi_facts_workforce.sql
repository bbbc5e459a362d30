{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- Monthly facts at the finest grain (person or event, leaf unit) for the workforce KPIs.
-- Every int_kpi_facts_* model has the same columns; see int_kpi_facts.
-- Incremental by period: each month's facts come from that month's register, FTE and
-- events alone.
{% call in_period_order() %}
with spine as (
    select * from {{ ref('int_employee_months') }}
    where {{ in_refreshed_periods('period') }}
),

events as (
    select * from {{ ref('int_employment_events') }}
    where {{ in_refreshed_periods('period') }}
),

headcount as (
    select 'headcount' as kpi_id, period, month_no, org_unit_code, gender, age_group,
           employment_type, profession_group, cast(null as {{ dbt.type_string() }}) as reason_group,
           1.0 as numerator, cast(null as {{ type_fact() }}) as denominator
    from spine
),

fte as (
    select 'fte' as kpi_id, s.period, s.month_no, s.org_unit_code, s.gender, s.age_group,
           s.employment_type, s.profession_group, null as reason_group,
           f.fte as numerator, null as denominator
    from spine s
    join {{ ref('int_employee_fte') }} f
        on f.person_key = s.person_key and f.period = s.period
    where {{ in_refreshed_periods('f.period') }}
),

permanent_share as (
    select 'permanent_share_pct' as kpi_id, period, month_no, org_unit_code, gender, age_group,
           employment_type, profession_group, null as reason_group,
           case when employment_type = 'permanent' then 1.0 else 0.0 end as numerator, 1.0 as denominator
    from spine
    where is_monthly_paid
),

-- The turnover KPIs share one denominator: the permanent headcount at each month end.
permanent_headcount as (
    select period, month_no, org_unit_code, gender, age_group, employment_type, profession_group
    from spine
    where employment_type = 'permanent'
),

turnover_kpis as (
    select 'entry_turnover_pct' as kpi_id, 'NY' as event_type, false as voluntary_only
    union all select 'exit_turnover_pct', 'AVG', false
    union all select 'exit_turnover_voluntary_pct', 'AVG', true
),

turnover_numerators as (
    select k.kpi_id, e.period, e.month_no, e.org_unit_code, e.gender, e.age_group,
           e.employment_type, null as profession_group,
           case when e.event_type = 'AVG' then e.reason_group end as reason_group,
           1.0 as numerator, 0.0 as denominator
    from events e
    join turnover_kpis k
        on k.event_type = e.event_type
    where e.employment_type = 'permanent'
      and (not k.voluntary_only or e.is_voluntary)
),

turnover_denominators as (
    select k.kpi_id, h.period, h.month_no, h.org_unit_code, h.gender, h.age_group,
           h.employment_type, h.profession_group, null as reason_group,
           0.0 as numerator, 1.0 as denominator
    from permanent_headcount h
    cross join turnover_kpis k
),

interviews as (
    select case e.event_type when 'AVG' then 'exit_interview_rate_pct' else 'entry_interview_rate_pct' end as kpi_id,
           e.period, e.month_no, e.org_unit_code, e.gender, e.age_group,
           e.employment_type,
           null as profession_group, null as reason_group,
           case when e.interview_held then 1.0 else 0.0 end as numerator, 1.0 as denominator
    from events e
    where e.event_type in ('NY', 'AVG')
),

unioned as (
    select * from headcount
    union all select * from fte
    union all select * from permanent_share
    union all select * from turnover_numerators
    union all select * from turnover_denominators
    union all select * from interviews
)

select
    kpi_id, period, month_no, org_unit_code, gender, age_group, employment_type, profession_group,
    reason_group, numerator, denominator,
    cast(null as {{ type_fact() }}) as numerator_n, cast(null as {{ type_fact() }}) as denominator_n,
    cast(null as bigint) as persons
from unioned
{% endcall %}
