-- Hires, exits and moves with the breakdown attributes of the person: gender from the
-- person's register row of the event month, else the latest earlier one (a leaver is not in
-- the register of the month they leave), else the legal gender from the personnummer.
with register_gender as (
    select
        e.person_key,
        e.period_month,
        s.gender,
        row_number() over (
            partition by e.person_key, e.period_month order by s.period desc) as recency
    from (select distinct person_key, period_month from {{ ref('stg_employment_events') }}) e
    join {{ ref('int_employee_months') }} s
        on s.person_key = e.person_key
       and s.period <= e.period_month
)

select
    e.person_key,
    e.period_month as period,
    {{ month_no('e.period_month') }} as month_no,
    e.event_date,
    e.event_type,
    e.employment_form,
    t.employment_type,
    e.org_unit_code,
    coalesce(s.gender, e.legal_gender) as gender,
    {{ age_group('cast(extract(year from e.period_month) as integer) - e.birth_year') }} as age_group,
    e.exit_reason_code,
    r.reason_group,
    coalesce(r.is_voluntary, false) as is_voluntary,
    coalesce(e.interview_held, false) as interview_held
from {{ ref('stg_employment_events') }} e
left join {{ ref('exit_reasons') }} r
    on r.exit_reason_code = e.exit_reason_code
left join {{ ref('employment_types') }} t
    on t.employment_form = e.employment_form
left join register_gender s
    on s.person_key = e.person_key
   and s.period_month = e.period_month
   and s.recency = 1
