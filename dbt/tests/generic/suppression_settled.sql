{#- Complementary suppression settled: one more pass (macros/suppression.sql) over the
    model's result hides nothing. Returns the cells that pass would still hide. This checks
    int_kpi_suppressed's loop from outside: its result must be the fixpoint, not merely the
    state after the last pass it ran. The pass reads its state many times (Spark repeats the
    state's query at each read), so the state here is built from the fewest tables: the key
    strings themselves stand in for the unit, value and window codes, which only have to be
    equal where the strings are and to sort as they do. -#}
{% test suppression_settled(model, cells_model, breakdowns_model) %}
with settled as (
    select m.kpi_id, m.period, m.window_name as window_no, m.org_unit_code as unit_no,
           c.parent_code as parent_no, b.breakdown_no, m.breakdown_value as value_no,
           c.population_n, c.has_figure, c.suppress_small_groups, m.suppressed as hidden
    from {{ model }} m
    join {{ cells_model }} c
        on c.kpi_id = m.kpi_id and c.period = m.period and c.window_name = m.window_name
       and c.org_unit_code = m.org_unit_code and c.breakdown = m.breakdown
       and c.breakdown_value = m.breakdown_value
    join {{ breakdowns_model }} b
        on b.breakdown = m.breakdown
),

one_more_pass as (
    {{ suppression_pass('settled') }}
)

select kpi_id, period, window_no as window_name, unit_no as org_unit_code, breakdown_no,
       value_no as breakdown_value
from one_more_pass
where added
{% endtest %}
