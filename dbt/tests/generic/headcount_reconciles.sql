{#- Stock and flow agree for the whole organisation: the month-end headcount equals the
    previous month end's plus hires (NY) minus exits (AVG) in the month. Internal moves
    (BYTE) cancel at this level. Rows returned are months where the register and the
    employment events disagree. -#}
{% test headcount_reconciles(model, events_model, months_model) %}
with months as (
    select period, month_no from {{ months_model }}
),

closing as (
    select m.period, m.month_no, count(distinct s.person_key) as headcount
    from months m
    left join {{ model }} s
        on s.period = m.period
    group by m.period, m.month_no
),

flows as (
    select
        period,
        sum(case when event_type = 'NY' then 1 else 0 end) as hires,
        sum(case when event_type = 'AVG' then 1 else 0 end) as exits
    from {{ events_model }}
    group by period
)

select
    c.period,
    o.headcount as opening,
    coalesce(f.hires, 0) as hires,
    coalesce(f.exits, 0) as exits,
    c.headcount as closing
from closing c
join closing o
    on o.month_no = c.month_no - 1
left join flows f
    on f.period = c.period
where o.headcount + coalesce(f.hires, 0) - coalesce(f.exits, 0) <> c.headcount
{% endtest %}
