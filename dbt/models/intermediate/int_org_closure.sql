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
    -- The loader rejects a snapshot with a cycle (dagster_project/ingest.py), so the walk
    -- ends at the root. max_org_depth is only a guard should a cycle ever get past it: far
    -- deeper than any real hierarchy (Nivå 1-4 here, a region's rarely beyond 8), yet
    -- small enough that a loop stops after a few passes instead of running away.
    where u.parent_code is not null
      and c.depth < {{ var('max_org_depth', 20) }}
)

select period, ancestor_code, descendant_code, depth
from closure
