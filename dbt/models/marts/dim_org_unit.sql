-- Org units per month with their parent, level and full path from the root.
with units as (
    select * from {{ ref('stg_org_units') }}
),

paths as (
    select
        c.period,
        c.descendant_code as org_unit_code,
        {{ hr_kpi.ordered_listagg('a.org_unit_name', "' / '", 'c.depth', descending=true) }} as path
    from {{ ref('int_org_closure') }} c
    join units a
        on a.period_month = c.period
       and a.org_unit_code = c.ancestor_code
    group by c.period, c.descendant_code
)

select
    cast(u.period_month as date) as period,
    cast(u.org_unit_code as {{ dbt.type_string() }}) as org_unit_code,
    cast(u.org_unit_name as {{ dbt.type_string() }}) as name,
    cast(u.org_level as integer) as level,
    cast(u.parent_code as {{ dbt.type_string() }}) as parent_code,
    cast(p.path as {{ dbt.type_string() }}) as path
from units u
join paths p
    on p.period = u.period_month
   and p.org_unit_code = u.org_unit_code
