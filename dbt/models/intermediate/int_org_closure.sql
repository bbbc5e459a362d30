-- Every (ancestor, descendant) pair of each month's hierarchy, the unit itself at depth 0.
-- A unit's figure covers its descendants in that month's hierarchy, so roll-ups join here.
with recursive units as (
    select period_month as period, org_unit_code, parent_code
    from {{ ref('stg_org_units') }}
),

closure as (
    select
        period,
        org_unit_code as ancestor_code,
        org_unit_code as descendant_code,
        0 as depth
    from units

    union all

    select
        c.period,
        u.parent_code as ancestor_code,
        c.descendant_code,
        c.depth + 1 as depth
    from closure c
    join units u
        on u.period = c.period
       and u.org_unit_code = c.ancestor_code
    -- The contract forbids cycles; the bound keeps a bad snapshot from looping forever.
    where u.parent_code is not null
      and c.depth < 20
)

select period, ancestor_code, descendant_code, depth
from closure
