-- Survey results per unit, carried from the month the survey closed to every loaded month
-- until the next survey: a survey KPI for a month is the latest survey closed on or before it.
with surveys as (
    select distinct period_month as survey_period from {{ ref('stg_survey') }}
),

latest as (
    select
        m.period,
        max(s.survey_period) as survey_period
    from {{ ref('int_months') }} m
    join surveys s
        on s.survey_period <= m.period
    group by m.period
)

select
    l.period,
    {{ month_no('l.period') }} as month_no,
    s.period_month as survey_period,
    s.survey_id,
    s.org_unit_code,
    s.question_code,
    q.in_hme,
    q.in_leadership,
    q.in_participation,
    s.invited,
    s.respondents,
    0 * s.answers_1 + 25 * s.answers_2 + 50 * s.answers_3 + 75 * s.answers_4 + 100 * s.answers_5 as score_points
from latest l
join {{ ref('stg_survey') }} s
    on s.period_month = l.survey_period
join {{ ref('survey_questions') }} q
    on q.question_code = s.question_code
