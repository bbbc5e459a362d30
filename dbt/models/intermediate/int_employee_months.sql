-- The employee x month spine: one row per person and month end in the register.
-- A person with several employments counts once; the primary employment (permanent before
-- fixed-term before hourly, then the highest rate) gives unit, form and profession, while
-- rates and ordinary hours add up over the employments.
with register as (
    select
        e.*,
        row_number() over (
            partition by e.person_key, e.period_month
            order by case e.employment_form when 'TV' then 1 when 'VI' then 2 else 3 end,
                     e.employment_rate_pct desc nulls last,
                     e.employee_number
        ) as employment_rank
    from {{ ref('stg_employees') }} e
),

per_person as (
    select
        person_key,
        period_month,
        sum(case when employment_form in ('TV', 'VI') then coalesce(employment_rate_pct, 0) else 0 end)
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
    case p.employment_form
        when 'TV' then 'permanent'
        when 'VI' then 'fixed_term'
        when 'TIM' then 'hourly'
    end as employment_type,
    pp.monthly_paid_rate_pct,
    pp.ordinary_hours,
    pp.employments,
    case when p.employment_form in ('TV', 'VI') then p.monthly_salary end as monthly_salary,
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
