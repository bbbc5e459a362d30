{#- Privacy: a suppressed row carries no figure, and no person-based figure about
    suppression_max_n or fewer people (survey: fewer than survey_min_respondents) is shown. -#}
{% test suppression_applied(model, catalogue_model) %}
select k.*
from {{ model }} k
join {{ catalogue_model }} c
    on c.kpi_id = k.kpi_id
where (k.suppressed and (k.value is not null or k.numerator is not null or k.denominator is not null
                         or k.status is not null))
   or (not k.suppressed
       and c.suppress_small_groups
       and (k.numerator is not null or k.denominator is not null)
       and case when c.population_basis = 'respondents'
                then coalesce(k.population_n, 0) < {{ param('survey_min_respondents') }}
                else coalesce(k.population_n, 0) <= {{ param('suppression_max_n') }} end)
{% endtest %}
