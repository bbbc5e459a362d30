{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- The target of each figure (by kpi_id, e.g. exit_turnover_pct; period, window, org unit).
-- A target set at a unit applies to its descendants unless they have their own; an empty
-- org unit is the whole organisation. A target with a target_window applies to that window
-- only (an annual turnover target is not a month's); an empty one to every window. Most
-- specific first: the unit's own or nearest ancestor's target (smallest depth in
-- int_org_closure) before the organisation-wide one, then a target for the window over one
-- for every window, then the latest valid_from.
with cells as (
    select distinct kpi_id, period, window_name, org_unit_code from {{ ref('int_kpi_windowed') }}
    where {{ in_refreshed_periods('period') }}
),

candidates as (
    select
        r.kpi_id,
        r.period,
        r.window_name,
        r.org_unit_code,
        t.target_value,
        t.direction,
        row_number() over (
            partition by r.kpi_id, r.period, r.window_name, r.org_unit_code
            order by case when t.org_unit_code is null then 1 else 0 end, c.depth,
                     case when t.target_window is null then 1 else 0 end, t.valid_from desc
        ) as target_rank
    from cells r
    join {{ ref('kpi_targets') }} t
        on t.kpi_id = r.kpi_id
       and t.valid_from <= r.period
       and (t.valid_to is null or r.period <= t.valid_to)
       and (t.target_window is null or t.target_window = r.window_name)
    left join {{ ref('int_org_closure') }} c
        on c.period = r.period
       and c.ancestor_code = t.org_unit_code
       and c.descendant_code = r.org_unit_code
    where t.org_unit_code is null or c.ancestor_code is not null
)

select kpi_id, period, window_name, org_unit_code, target_value, direction as target_direction
from candidates
where target_rank = 1
{{ order_by_period() }}
