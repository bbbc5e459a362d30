{#- Privacy: no suppressed cell can be recovered by subtraction from published figures.
    Returns breakdowns with exactly one suppressed value next to a shown total, and shown
    units with exactly one suppressed child (per KPI, period, window, breakdown value). -#}
{% test suppression_not_recoverable(model, units_model) %}
with cells as (
    select k.kpi_id, k.period, k.{{ adapter.quote('window') }} as window_name, k.org_unit_code, k.breakdown,
           k.breakdown_value, k.suppressed, u.parent_code
    from {{ model }} k
    join {{ units_model }} u
        on u.period = k.period
       and u.org_unit_code = k.org_unit_code
),

lonely_in_breakdown as (
    select b.kpi_id, b.period, b.window_name, b.org_unit_code, b.breakdown,
           cast(null as {{ dbt.type_string() }}) as breakdown_value, 'one suppressed value in a breakdown' as problem
    from cells b
    join cells t
        on t.kpi_id = b.kpi_id and t.period = b.period and t.window_name = b.window_name
       and t.org_unit_code = b.org_unit_code and t.breakdown = 'total' and not t.suppressed
    where b.breakdown <> 'total'
    group by b.kpi_id, b.period, b.window_name, b.org_unit_code, b.breakdown
    having sum(case when b.suppressed then 1 else 0 end) = 1
),

lonely_child as (
    select c.kpi_id, c.period, c.window_name, c.parent_code as org_unit_code, c.breakdown,
           c.breakdown_value, 'one suppressed child of a shown unit' as problem
    from cells c
    join cells p
        on p.kpi_id = c.kpi_id and p.period = c.period and p.window_name = c.window_name
       and p.org_unit_code = c.parent_code and p.breakdown = c.breakdown
       and p.breakdown_value = c.breakdown_value and not p.suppressed
    group by c.kpi_id, c.period, c.window_name, c.parent_code, c.breakdown, c.breakdown_value
    having sum(case when c.suppressed then 1 else 0 end) = 1
)

select * from lonely_in_breakdown
union all
select * from lonely_child
{% endtest %}
