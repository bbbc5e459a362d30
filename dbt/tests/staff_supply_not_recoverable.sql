-- Privacy: no hidden count of marts.staff_supply_outlook can be recovered by subtraction. Returns
-- unit-years with exactly one hidden profession group beside a shown total, and shown units
-- with exactly one hidden child (per profession group and year). Rows here mean the
-- complementary passes of int_staff_supply_suppressed stopped before the rule held.
with cells as (
    select o.*, u.parent_code
    from {{ ref('staff_supply_outlook') }} o
    join {{ ref('stg_org_units') }} u
        on u.period_month = o.period
       and u.org_unit_code = o.org_unit_code
),

lonely_group as (
    select g.org_unit_code, g.year_offset, 'one hidden profession group beside a shown total' as problem
    from cells g
    join cells t
        on t.org_unit_code = g.org_unit_code and t.year_offset = g.year_offset
       and t.profession_group = 'total' and not t.suppressed
    where g.profession_group <> 'total'
    group by g.org_unit_code, g.year_offset
    having sum(case when g.suppressed then 1 else 0 end) = 1
),

lonely_child as (
    select c.parent_code as org_unit_code, c.year_offset, 'one hidden child of a shown unit' as problem
    from cells c
    join cells p
        on p.org_unit_code = c.parent_code and p.profession_group = c.profession_group
       and p.year_offset = c.year_offset and not p.suppressed
    group by c.parent_code, c.profession_group, c.year_offset
    having sum(case when c.suppressed then 1 else 0 end) = 1
)

select * from lonely_group
union all
select * from lonely_child
