{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- Point-in-time pay facts at month end. Women's and men's salaries are kept as sums with
-- counts so the ratio of means can be rolled up without averaging ratios.
-- Incremental by period: a month's facts read that month and, for pay development, the same
-- person 12 months earlier (docs/incremental.md).
{% call in_period_order() %}
with monthly_paid as (
    select *
    from {{ ref('int_employee_months') }}
    where is_monthly_paid
      and monthly_salary > 0
      and {{ in_refreshed_periods('period', 12) }}
),

gender_pay as (
    select 'gender_pay_ratio_pct' as kpi_id, period, month_no, org_unit_code, gender, age_group,
           employment_type, profession_group,
           case when gender = 'K' then monthly_salary else 0.0 end as numerator,
           case when gender = 'M' then monthly_salary else 0.0 end as denominator,
           case when gender = 'K' then 1.0 else 0.0 end as numerator_n,
           case when gender = 'M' then 1.0 else 0.0 end as denominator_n
    from monthly_paid
    where gender in ('K', 'M')
      and {{ in_refreshed_periods('period') }}
),

pay_development as (
    select 'pay_development_pct' as kpi_id, n.period, n.month_no, n.org_unit_code, n.gender,
           n.age_group, n.employment_type, n.profession_group,
           n.monthly_salary as numerator,
           b.monthly_salary as denominator,
           cast(null as {{ type_fact() }}) as numerator_n,
           cast(null as {{ type_fact() }}) as denominator_n
    from monthly_paid n
    join monthly_paid b
        on b.person_key = n.person_key
       and b.month_no = n.month_no - 12
    where {{ in_refreshed_periods('n.period') }}
)

select kpi_id, period, month_no, org_unit_code, gender, age_group, employment_type, profession_group,
       cast(null as {{ dbt.type_string() }}) as reason_group, numerator, denominator, numerator_n, denominator_n,
       cast(1 as bigint) as persons
from gender_pay
union all
select kpi_id, period, month_no, org_unit_code, gender, age_group, employment_type, profession_group,
       null, numerator, denominator, numerator_n, denominator_n, 1
from pay_development
{% endcall %}
