{#- Complementary suppression (int_kpi_suppressed). The state of a pass is one row per cell
    with integer codes for the keys the passes group and join on: the passes keep several
    copies of every published row, and with the key strings those copies spilled out of
    memory at demo size already. window_no and breakdown_no come from the seeds (0 is the
    total); unit and value codes follow the strings' order, so "the smallest code" picks the
    same unit or value as "the smallest code string".

    Each pass is a relation of its own: int_kpi_suppressed materialises pass after pass as a
    work table (settle_suppression). Chained as CTEs in one statement, the passes make a plan
    that grows as a power of the passes on an engine that inlines CTEs (Spark's analyzer did
    not get through two), and DuckDB keeps every pass's state until the statement ends. -#}

{#- The start state (int_kpi_suppression_start): every cell of `cells`, primary suppression
    as `hidden`. The codes are numbered over every period of `cells`, not only the ones a
    refresh rebuilds: any superset keeps the strings' order, and a period filter on this
    query then reaches the scan of `cells` (no CTE read three times stands in the way). -#}
{% macro suppression_start(cells) %}
    with unit_codes as (
        select org_unit_code, row_number() over (order by org_unit_code) as unit_no
        from (
            select org_unit_code from {{ cells }}
            union
            select parent_code from {{ cells }} where parent_code is not null
        ) u
    ),

    value_codes as (
        select breakdown_value, row_number() over (order by breakdown_value) as value_no
        from (select distinct breakdown_value from {{ cells }}) v
    )

    select
        c.kpi_id, c.period, w.window_no, uc.unit_no, pc.unit_no as parent_no, b.breakdown_no,
        v.value_no, c.population_n, c.has_figure, c.suppress_small_groups,
        c.is_small as hidden, c.is_small as added,
        c.window_name, c.org_unit_code, c.breakdown, c.breakdown_value,
        c.numerator, c.denominator, c.value
    from {{ cells }} c
    join {{ ref('kpi_windows') }} w on w.window_name = c.window_name
    join {{ ref('kpi_breakdowns') }} b on b.breakdown = c.breakdown
    join value_codes v on v.breakdown_value = c.breakdown_value
    join unit_codes uc on uc.org_unit_code = c.org_unit_code
    left join unit_codes pc on pc.org_unit_code = c.parent_code
{% endmacro %}


{#- One pass over the state `prev`: returns the state with `hidden` grown and `added` marking
    the cells this pass hid. Aggregates, not window functions: this runs over every
    published row. Its two halves, breakdowns then hierarchy, are macros of their own, and
    the unit tests pin each half as a view (int_kpi_suppression_breakdowns, _pass): Spark
    inlines a CTE at every use, and the hierarchy half reads the breakdown half eleven
    times, which reads `prev` eight times, so a fixture read 88 times took Spark's analyzer
    most of a minute. Over a table (the work tables) one statement per pass plans fast. -#}
{% macro suppression_pass(prev) %}
    with breakdown_pass as (
        {{ suppression_breakdowns(prev) }}
    ),

    pass_state as (
        {{ suppression_hierarchy('breakdown_pass') }}
    )

    select * from pass_state
{% endmacro %}


{#- The breakdown half of a pass: the state `prev` with `breakdown_hidden`. -#}
{% macro suppression_breakdowns(prev) %}
    with
    -- Breakdowns: when exactly one value of a breakdown is hidden, the total minus the
    -- others would reveal it, so the next-smallest (fewest people, then code) of the shown
    -- values with a figure goes too.
    lonely_in_breakdown as (
        select kpi_id, period, window_no, unit_no, breakdown_no
        from {{ prev }}
        where suppress_small_groups
          and breakdown_no <> 0
        group by kpi_id, period, window_no, unit_no, breakdown_no
        having sum(case when hidden then 1 else 0 end) = 1
    ),

    breakdown_smallest as (
        select p.kpi_id, p.period, p.window_no, p.unit_no, p.breakdown_no,
               min(coalesce(p.population_n, 0)) as population_n
        from {{ prev }} p
        join lonely_in_breakdown l
            on l.kpi_id = p.kpi_id and l.period = p.period and l.window_no = p.window_no
           and l.unit_no = p.unit_no and l.breakdown_no = p.breakdown_no
        where not p.hidden
          and p.has_figure
        group by p.kpi_id, p.period, p.window_no, p.unit_no, p.breakdown_no
    ),

    breakdown_complement as (
        select p.kpi_id, p.period, p.window_no, p.unit_no, p.breakdown_no,
               min(p.value_no) as value_no
        from {{ prev }} p
        join breakdown_smallest m
            on m.kpi_id = p.kpi_id and m.period = p.period and m.window_no = p.window_no
           and m.unit_no = p.unit_no and m.breakdown_no = p.breakdown_no
           and m.population_n = coalesce(p.population_n, 0)
        where not p.hidden
          and p.has_figure
        group by p.kpi_id, p.period, p.window_no, p.unit_no, p.breakdown_no
    ),

    -- A lonely hidden value with no shown value left to hide equals the total (less empty
    -- cells): the total goes instead. The breakdown is a join key rather than a filter in
    -- the ON clause, which would turn the join below into a nested loop.
    total_complement as (
        select l.kpi_id, l.period, l.window_no, l.unit_no, 0 as breakdown_no
        from lonely_in_breakdown l
        left join breakdown_complement bc
            on bc.kpi_id = l.kpi_id and bc.period = l.period and bc.window_no = l.window_no
           and bc.unit_no = l.unit_no and bc.breakdown_no = l.breakdown_no
        where bc.value_no is null
        group by l.kpi_id, l.period, l.window_no, l.unit_no
    )

    select
        p.kpi_id, p.period, p.window_no, p.unit_no, p.parent_no, p.breakdown_no, p.value_no,
        p.population_n, p.has_figure, p.suppress_small_groups, p.hidden,
        p.hidden or bc.value_no is not null or tc.unit_no is not null as breakdown_hidden
    from {{ prev }} p
    left join breakdown_complement bc
        on bc.kpi_id = p.kpi_id and bc.period = p.period and bc.window_no = p.window_no
       and bc.unit_no = p.unit_no and bc.breakdown_no = p.breakdown_no
       and bc.value_no = p.value_no
    left join total_complement tc
        on tc.kpi_id = p.kpi_id and tc.period = p.period and tc.window_no = p.window_no
       and tc.unit_no = p.unit_no and tc.breakdown_no = p.breakdown_no
{% endmacro %}


{#- The hierarchy half of a pass, over `breakdown_pass` (the breakdown half's result):
    returns the next state, with `added` for the cells the whole pass hid. -#}
{% macro suppression_hierarchy(breakdown_pass) %}
    with
    -- Hierarchy: when exactly one child of a shown unit is hidden (for a KPI, period, window
    -- and breakdown value), the next-smallest sibling with a figure goes too.
    lonely_child as (
        select c.kpi_id, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no
        from {{ breakdown_pass }} c
        join {{ breakdown_pass }} p
            on p.kpi_id = c.kpi_id and p.period = c.period and p.window_no = c.window_no
           and p.breakdown_no = c.breakdown_no and p.value_no = c.value_no
           and p.unit_no = c.parent_no
           and not p.breakdown_hidden
        where c.suppress_small_groups
        group by c.kpi_id, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no
        having sum(case when c.breakdown_hidden then 1 else 0 end) = 1
    ),

    sibling_smallest as (
        select c.kpi_id, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no,
               min(coalesce(c.population_n, 0)) as population_n
        from {{ breakdown_pass }} c
        join lonely_child l
            on l.kpi_id = c.kpi_id and l.period = c.period and l.window_no = c.window_no
           and l.breakdown_no = c.breakdown_no and l.value_no = c.value_no
           and l.parent_no = c.parent_no
        where not c.breakdown_hidden
          and c.has_figure
        group by c.kpi_id, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no
    ),

    sibling_complement as (
        select c.kpi_id, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no,
               min(c.unit_no) as unit_no
        from {{ breakdown_pass }} c
        join sibling_smallest m
            on m.kpi_id = c.kpi_id and m.period = c.period and m.window_no = c.window_no
           and m.breakdown_no = c.breakdown_no and m.value_no = c.value_no
           and m.parent_no = c.parent_no
           and m.population_n = coalesce(c.population_n, 0)
        where not c.breakdown_hidden
          and c.has_figure
        group by c.kpi_id, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no
    ),

    -- A lonely hidden child with no sibling left to hide (an only child, or siblings without
    -- figures) is as good as shown in its parent's figure: the parent goes instead.
    parent_complement as (
        select l.kpi_id, l.period, l.window_no, l.breakdown_no, l.value_no, l.parent_no as unit_no
        from lonely_child l
        left join sibling_complement sc
            on sc.kpi_id = l.kpi_id and sc.period = l.period and sc.window_no = l.window_no
           and sc.breakdown_no = l.breakdown_no and sc.value_no = l.value_no
           and sc.parent_no = l.parent_no
        where sc.unit_no is null
    ),

    next_state as (
        select
            a.kpi_id, a.period, a.window_no, a.unit_no, a.parent_no, a.breakdown_no, a.value_no,
            a.population_n, a.has_figure, a.suppress_small_groups, a.hidden as was_hidden,
            a.breakdown_hidden or sc.unit_no is not null or pc.unit_no is not null as hidden
        from {{ breakdown_pass }} a
        left join sibling_complement sc
            on sc.kpi_id = a.kpi_id and sc.period = a.period and sc.window_no = a.window_no
           and sc.breakdown_no = a.breakdown_no and sc.value_no = a.value_no
           and sc.unit_no = a.unit_no
        left join parent_complement pc
            on pc.kpi_id = a.kpi_id and pc.period = a.period and pc.window_no = a.window_no
           and pc.breakdown_no = a.breakdown_no and pc.value_no = a.value_no
           and pc.unit_no = a.unit_no
    )

    select
        kpi_id, period, window_no, unit_no, parent_no, breakdown_no, value_no, population_n,
        has_figure, suppress_small_groups, hidden, hidden and not was_hidden as added
    from next_state
{% endmacro %}


{#- The published cells with their suppression: the start state's keys and figures, hidden
    when the start hid them or a pass added them (`added`, the cells a pass hid: a pass's
    own state, or the cells every pass hid, settle_suppression). -#}
{% macro suppression_result(start, added) %}
    select
        s.kpi_id, s.period, s.window_name, s.org_unit_code, s.breakdown, s.breakdown_value,
        s.numerator, s.denominator, s.value, s.population_n, s.hidden or a.added is not null as suppressed
    from {{ start }} s
    left join (select * from {{ added }} where added) a
        on a.kpi_id = s.kpi_id and a.period = s.period and a.window_no = s.window_no
       and a.unit_no = s.unit_no and a.breakdown_no = s.breakdown_no and a.value_no = s.value_no
{% endmacro %}


{#- Run passes as work tables until one adds nothing; returns the start relation, the last
    pass and the cells the passes hid (`added`). `start_state` is the start state
    (int_kpi_suppression_start, int_staff_supply_start), of which the rows `start_filter`
    keeps (the periods being rebuilt) are copied first: every pass reads its predecessor many
    times. `pass_macro` makes one pass over a state and marks what it hid as `added`
    (suppression_pass, staff_supply_pass). Fails the build when the bound (parameter
    suppression_max_passes) is reached while a pass still hides cells.

    `slices` (int_kpi_suppressed) names columns no suppression group crosses (a KPI's period
    and window: every breakdown and sibling group lies within one) and the key and state
    columns of a cell. A pass over a slice then depends on that slice's cells only, and a
    slice the previous pass hid nothing in is settled: the next pass reads only the slices
    with a cell just hidden (the first, those with a primary one), and the cells every pass
    hid gather in a work table of their own (`added`). At L a pass over every cell took about
    a minute and the later passes hid cells in a fraction of the slices. Without `slices`
    (the staff supply outlook, a few thousand cells) every pass reads the whole state and the
    last pass is the result. -#}
{% macro settle_suppression(start_state, model_relation, pass_macro, start_filter='1 = 1', slices=none) %}
    {%- set bound_sql -%}
        select max(value) from {{ ref('parameters') }}
        where parameter = 'suppression_max_passes' and year is null
    {%- endset -%}
    {%- set max_passes = run_query(bound_sql).columns[0].values()[0] | int -%}
    {%- set start = suppression_work_table(model_relation, 'start') -%}
    {%- do replace_work_table(start, 'select * from ' ~ start_state ~ ' where ' ~ start_filter) -%}
    {%- set hidden = suppression_work_table(model_relation, 'hidden') -%}
    {%- if slices -%}
        {%- do replace_work_table(hidden, 'select ' ~ slices['key'] | join(', ') ~ ', added from ' ~ start ~ ' where 1 = 0') -%}
    {%- endif -%}
    {%- set state = namespace(last=start, settled=false, passes=0, added=0) -%}
    {%- for i in range(1, max_passes + 1) -%}{%- if not state.settled -%}
        {%- set target = suppression_work_table(model_relation, 'pass_a' if i % 2 == 1 else 'pass_b') -%}
        {%- if slices -%}
            {%- set source = suppression_work_table(model_relation, 'input') -%}
            {%- do replace_work_table(source, suppression_frontier(start, state.last, hidden, slices)) -%}
        {%- else -%}
            {%- set source = state.last -%}
        {%- endif -%}
        {%- do replace_work_table(target, pass_macro(source)) -%}
        {%- set state.added = run_query('select count(*) from ' ~ target ~ ' where added').columns[0].values()[0] | int -%}
        {%- if slices and state.added > 0 -%}
            {%- do run_query('insert into ' ~ hidden ~ ' select ' ~ slices['key'] | join(', ') ~ ', added from ' ~ target ~ ' where added') -%}
        {%- endif -%}
        {%- set state.last = target -%}
        {%- set state.passes = i -%}
        {%- if state.added == 0 -%}{%- set state.settled = true -%}{%- endif -%}
    {%- endif -%}{%- endfor -%}
    {%- if not state.settled -%}
        {%- do drop_suppression_work_tables(model_relation) -%}
        {%- do exceptions.raise_compiler_error(
            "Complementary suppression of " ~ model_relation.identifier ~ " did not settle: pass " ~ state.passes ~ " still hid "
            ~ state.added ~ " more cells. Raise suppression_max_passes in seeds/parameters.csv "
            ~ "(now " ~ max_passes ~ ") only after checking why the data needs that many passes.") -%}
    {%- endif -%}
    {%- do log("Complementary suppression of " ~ model_relation.identifier ~ " settled after " ~ state.passes ~ (" pass" if state.passes == 1 else " passes") ~ " (the last hid nothing).", info=true) -%}
    {%- do return({'start': start, 'last': state.last, 'added': hidden if slices else state.last}) -%}
{% endmacro %}


{#- The state a pass starts from, in the slices where the pass before (or the start) hid a
    cell: every cell of those slices, hidden when the start or any pass so far hid it. -#}
{% macro suppression_frontier(start, last, hidden, slices) %}
    select
        {%- for c in slices['key'] + slices['state'] %} s.{{ c }},{% endfor %}
        s.hidden or h.added is not null as hidden
    from {{ start }} s
    join (select distinct {{ slices['slice'] | join(', ') }} from {{ last }} where added) f
        on {% for c in slices['slice'] %}{{ 'and ' if not loop.first }}f.{{ c }} = s.{{ c }} {% endfor %}
    left join {{ hidden }} h
        on {% for c in slices['key'] %}{{ 'and ' if not loop.first }}h.{{ c }} = s.{{ c }} {% endfor %}
{% endmacro %}


{% macro suppression_work_table(model_relation, suffix) %}
    {%- do return(api.Relation.create(database=model_relation.database, schema=model_relation.schema,
                                      identifier=model_relation.identifier ~ '__' ~ suffix, type='table')) -%}
{% endmacro %}


{% macro drop_suppression_work_tables(model_relation) %}
    {%- for suffix in ['start', 'input', 'pass_a', 'pass_b', 'hidden'] -%}
        {%- do adapter.drop_relation(suppression_work_table(model_relation, suffix)) -%}
    {%- endfor -%}
{% endmacro %}
