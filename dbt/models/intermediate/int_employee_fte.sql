-- FTE per person and month end: employment rate of monthly-paid employments, plus the
-- base-pay hours of hourly-paid staff (by Avser period) over the full-time hours of a month.
with hourly_hours as (
    select person_key, period, sum(coalesce(quantity, 0)) as hours
    from {{ ref('int_payroll_lines') }}
    where pay_type_category = 'base_pay'
    group by person_key, period
)

select
    s.person_key,
    s.period,
    s.month_no,
    s.org_unit_code,
    -- Rate x 0.01 is exact; hours over full-time hours are rounded once, per person-month.
    cast(s.monthly_paid_rate_pct * 0.01 as {{ type_fact() }})
        + case when not s.is_monthly_paid
               then cast(coalesce(h.hours, 0) / {{ param('full_time_hours_per_month') }} as {{ type_fact() }})
               else 0 end as fte
from {{ ref('int_employee_months') }} s
left join hourly_hours h
    on h.person_key = s.person_key
   and h.period = s.period
