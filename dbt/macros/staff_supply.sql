{#- One complementary pass of the staff supply outlook's small-group rule over the state
    `prev` (int_staff_supply_start, or the pass before): returns the next state, with `added`
    for the counts this pass hid. A unit-year with one hidden profession group and a shown
    total hides its smallest shown group (the total, if no group is shown); a shown unit with
    one hidden child hides that child's smallest shown sibling, or itself when the child has
    none, as kpi_values does. int_staff_supply_suppressed repeats it until it hides nothing
    (settle_suppression, macros/suppression.sql). -#}
{% macro staff_supply_pass(prev) %}
    with unit_groups as (
        select
            org_unit_code,
            year_offset,
            sum(case when profession_group <> 'total' and suppressed then 1 else 0 end) as hidden_groups,
            sum(case when profession_group <> 'total' and not suppressed then 1 else 0 end) as shown_groups,
            max(case when profession_group = 'total' and not suppressed then 1 else 0 end) as total_shown
        from {{ prev }}
        group by org_unit_code, year_offset
    ),

    children as (
        select
            c.parent_code,
            c.profession_group,
            c.year_offset,
            sum(case when c.suppressed then 1 else 0 end) as hidden_children,
            sum(case when c.suppressed then 0 else 1 end) as shown_children
        from {{ prev }} c
        join {{ prev }} p
            on p.org_unit_code = c.parent_code
           and p.profession_group = c.profession_group
           and p.year_offset = c.year_offset
           and not p.suppressed
        group by c.parent_code, c.profession_group, c.year_offset
    ),

    ranked as (
        select
            x.*,
            row_number() over (
                partition by x.org_unit_code, x.year_offset, (x.profession_group = 'total' or x.suppressed)
                order by x.reaching_n, x.profession_group
            ) as rank_in_unit,
            row_number() over (
                partition by x.parent_code, x.profession_group, x.year_offset, x.suppressed
                order by x.reaching_n, x.org_unit_code
            ) as rank_among_siblings
        from {{ prev }} x
    ),

    next_state as (
        select
            r.org_unit_code,
            r.parent_code,
            r.profession_group,
            r.year_offset,
            r.staff_n,
            r.reaching_n,
            r.suppressed as was_suppressed,
            r.suppressed
            or (g.hidden_groups = 1 and g.total_shown = 1 and not r.suppressed and (
                    (r.profession_group <> 'total' and r.rank_in_unit = 1)
                    or (r.profession_group = 'total' and g.shown_groups = 0)))
            or (coalesce(c.hidden_children, 0) = 1 and not r.suppressed and r.rank_among_siblings = 1)
            or (coalesce(own.hidden_children, 0) = 1 and own.shown_children = 0)
                as suppressed
        from ranked r
        join unit_groups g
            on g.org_unit_code = r.org_unit_code
           and g.year_offset = r.year_offset
        left join children c
            on c.parent_code = r.parent_code
           and c.profession_group = r.profession_group
           and c.year_offset = r.year_offset
        -- The unit's own children: one hidden and none shown to hide with it (an only child)
        -- hides the unit itself.
        left join children own
            on own.parent_code = r.org_unit_code
           and own.profession_group = r.profession_group
           and own.year_offset = r.year_offset
    )

    select
        org_unit_code, parent_code, profession_group, year_offset, staff_n, reaching_n,
        suppressed, suppressed and not was_suppressed as added
    from next_state
{% endmacro %}
