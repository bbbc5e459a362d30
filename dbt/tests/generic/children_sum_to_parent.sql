{#- For additive KPIs, a unit's monthly total equals its own facts plus the totals of its
    direct children. This checks the closure roll-up against a one-level recursion. -#}
{% test children_sum_to_parent(model, facts_model, units_model, kpi_ids) %}
with shown as (
    select kpi_id, period, org_unit_code, numerator
    from {{ model }}
    where {{ adapter.quote('window') }} = 'month'
      and breakdown = 'total'
      and kpi_id in ('{{ kpi_ids | join("', '") }}')
),

own as (
    select kpi_id, period, org_unit_code, sum(numerator) as numerator
    from {{ facts_model }}
    where kpi_id in ('{{ kpi_ids | join("', '") }}')
      and window_adjustment is null
    group by kpi_id, period, org_unit_code
),

children as (
    select s.kpi_id, s.period, u.parent_code as org_unit_code, sum(s.numerator) as numerator,
           count(*) as children
    from shown s
    join {{ units_model }} u
        on u.period_month = s.period
       and u.org_unit_code = s.org_unit_code
    where u.parent_code is not null
    group by s.kpi_id, s.period, u.parent_code
)

select
    p.kpi_id, p.period, p.org_unit_code,
    p.numerator as published,
    coalesce(o.numerator, 0) + coalesce(c.numerator, 0) as own_plus_children
from shown p
left join own o
    on o.kpi_id = p.kpi_id and o.period = p.period and o.org_unit_code = p.org_unit_code
left join children c
    on c.kpi_id = p.kpi_id and c.period = p.period and c.org_unit_code = p.org_unit_code
-- Published figures are rounded to 4 decimals: allow that rounding once per summed figure.
where abs(coalesce(p.numerator, 0) - (coalesce(o.numerator, 0) + coalesce(c.numerator, 0)))
      > 0.00005 * (1 + coalesce(c.children, 0))
{% endtest %}
