-- The employee x month spine: one row per person and month end in the register.
-- A person with several employments counts once; the primary employment (permanent before
-- fixed-term before hourly, then the highest rate) gives unit, form and profession, while
-- rates and ordinary hours add up over the employments. Employment forms and their
-- published employment_type are seeds/employment_types.csv.
with register as (
    select
        e.*,
        t.employment_type,
        t.is_monthly_paid,
        row_number() over (
            partition by e.person_key, e.period_month
            order by t.primary_rank,
                     e.employment_rate_pct desc nulls last,
                     e.employee_number
        ) as employment_rank
    from {{ ref('stg_employees') }} e
    left join {{ ref('employment_types') }} t
        on t.employment_form = e.employment_form
),

per_person as (
    select
        person_key,
        period_month,
        sum(case when is_monthly_paid then coalesce(employment_rate_pct, 0) else 0 end)
            as monthly_paid_rate_pct,
        sum(coalesce(ordinary_hours, 0)) as ordinary_hours,
        count(*) as employments
    from register
    group by person_key, period_month
),

primary_employment as (
    select * from register where employment_rank = 1
)

select
    p.person_key,
    p.period_month as period,
    {{ month_no('p.period_month') }} as month_no,
    p.org_unit_code,
    p.employee_number,
    p.employment_form,
    p.employment_type,
    coalesce(p.is_monthly_paid, false) as is_monthly_paid,
    pp.monthly_paid_rate_pct,
    pp.ordinary_hours,
    pp.employments,
    case when p.is_monthly_paid then p.monthly_salary end as monthly_salary,
    p.gender,
    p.birth_year,
    cast(extract(year from p.period_month) as integer) - p.birth_year as age,
    {{ age_group('cast(extract(year from p.period_month) as integer) - p.birth_year') }} as age_group,
    p.profession_code,
    pr.profession_group,
    p.is_manager
from primary_employment p
join per_person pp
    on pp.person_key = p.person_key
   and pp.period_month = p.period_month
left join {{ ref('professions') }} pr
    on pr.profession_code = p.profession_code
