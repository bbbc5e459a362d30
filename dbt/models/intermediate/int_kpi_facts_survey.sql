-- Survey facts per unit for every month the survey is the latest one. Index numerator:
-- points 0/25/50/75/100 per answer; denominator: respondents. Population: the largest
-- Svarande over the questions behind the figure. hierarchy_period is the survey's own
-- month: a carried result is rolled up over the hierarchy it was answered in, so a unit
-- that closes or moves later keeps its respondents in its old parents' figures.
with carried as (
    select * from {{ ref('int_survey_carried') }}
),

indices as (
    select 'leadership_index' as kpi_id, c.* from carried c where c.in_leadership
    union all
    select 'hme_index', c.* from carried c where c.in_hme
    union all
    select 'participation_index', c.* from carried c where c.in_participation
),

index_facts as (
    select kpi_id, period, month_no, survey_period, org_unit_code,
           cast(sum(score_points) as {{ type_fact() }}) as numerator,
           cast(sum(respondents) as {{ type_fact() }}) as denominator,
           max(respondents) as persons
    from indices
    group by kpi_id, period, month_no, survey_period, survey_id, org_unit_code
),

response_rate as (
    select 'survey_response_rate_pct' as kpi_id, period, month_no, survey_period, org_unit_code,
           cast(max(respondents) as {{ type_fact() }}) as numerator,
           cast(max(invited) as {{ type_fact() }}) as denominator,
           max(respondents) as persons
    from carried
    group by period, month_no, survey_period, survey_id, org_unit_code
),

unioned as (
    select * from index_facts
    union all
    select * from response_rate
)

select kpi_id, period, month_no, survey_period as hierarchy_period, org_unit_code,
       cast(null as {{ dbt.type_string() }}) as gender, cast(null as {{ dbt.type_string() }}) as age_group,
       cast(null as {{ dbt.type_string() }}) as employment_type, cast(null as {{ dbt.type_string() }}) as profession_group,
       cast(null as {{ dbt.type_string() }}) as reason_group, numerator, denominator,
       cast(null as {{ type_fact() }}) as numerator_n, cast(null as {{ type_fact() }}) as denominator_n,
       cast(persons as bigint) as persons
from unioned
