-- The published KPI figures: one row per kpi_id, period, window, org unit and breakdown
-- value (docs/definitions.md). Figures come from int_kpi_windowed; this model applies
-- small-group suppression, complementary suppression, targets and status, and rounds.
with figures as (
    select * from {{ ref('int_kpi_windowed') }}
),

catalogue as (
    select * from {{ ref('kpi_catalogue') }}
),

units as (
    select period_month as period, org_unit_code, parent_code from {{ ref('stg_org_units') }}
),

primary_suppression as (
    select
        f.*,
        c.suppress_small_groups,
        -- Only a cell with a figure can hide another: suppressing an empty one protects nothing.
        (f.numerator is not null or f.denominator is not null) as has_figure,
        case
            when not c.suppress_small_groups then false
            when f.numerator is null and f.denominator is null then false
            when c.population_basis = 'respondents'
                then coalesce(f.population_n, 0) < {{ param('survey_min_respondents') }}
            else coalesce(f.population_n, 0) <= {{ param('suppression_max_n') }}
        end as is_small
    from figures f
    join catalogue c
        on c.kpi_id = f.kpi_id
),

-- Complementary suppression, repeated in passes: a cell hidden to protect a sibling unit
-- can leave its own breakdown with a single hidden value, and the reverse, so one pass is
-- not enough. Each pass only adds suppression; the dbt test suppression_not_recoverable
-- checks the result. Aggregates, not window functions: this runs over every published row.
{%- set passes = 4 %}
suppression_0 as (
    select p.*, u.parent_code, p.is_small as hidden_0
    from primary_suppression p
    join units u
        on u.period = p.period
       and u.org_unit_code = p.org_unit_code
),
{% for i in range(1, passes + 1) %}
{%- set prev = 'suppression_' ~ (i - 1) %}
{%- set hid = 'hidden_' ~ (i - 1) %}
-- Pass {{ i }}, breakdowns: when exactly one value of a breakdown is hidden, the total
-- minus the others would reveal it, so the next-smallest (fewest people, then code) of
-- the shown values with a figure goes too.
lonely_in_breakdown_{{ i }} as (
    select kpi_id, period, window_name, org_unit_code, breakdown
    from {{ prev }}
    where suppress_small_groups
      and breakdown <> 'total'
    group by kpi_id, period, window_name, org_unit_code, breakdown
    having sum(case when {{ hid }} then 1 else 0 end) = 1
),

breakdown_smallest_{{ i }} as (
    select p.kpi_id, p.period, p.window_name, p.org_unit_code, p.breakdown,
           min(coalesce(p.population_n, 0)) as population_n
    from {{ prev }} p
    join lonely_in_breakdown_{{ i }} l
        on l.kpi_id = p.kpi_id and l.period = p.period and l.window_name = p.window_name
       and l.org_unit_code = p.org_unit_code and l.breakdown = p.breakdown
    where not p.{{ hid }}
      and p.has_figure
    group by p.kpi_id, p.period, p.window_name, p.org_unit_code, p.breakdown
),

breakdown_complement_{{ i }} as (
    select p.kpi_id, p.period, p.window_name, p.org_unit_code, p.breakdown,
           min(p.breakdown_value) as breakdown_value
    from {{ prev }} p
    join breakdown_smallest_{{ i }} m
        on m.kpi_id = p.kpi_id and m.period = p.period and m.window_name = p.window_name
       and m.org_unit_code = p.org_unit_code and m.breakdown = p.breakdown
       and m.population_n = coalesce(p.population_n, 0)
    where not p.{{ hid }}
      and p.has_figure
    group by p.kpi_id, p.period, p.window_name, p.org_unit_code, p.breakdown
),

-- A lonely hidden value with no shown value left to hide equals the total (less empty
-- cells): the total goes instead.
total_complement_{{ i }} as (
    select l.kpi_id, l.period, l.window_name, l.org_unit_code
    from lonely_in_breakdown_{{ i }} l
    left join breakdown_complement_{{ i }} bc
        on bc.kpi_id = l.kpi_id and bc.period = l.period and bc.window_name = l.window_name
       and bc.org_unit_code = l.org_unit_code and bc.breakdown = l.breakdown
    where bc.breakdown_value is null
    group by l.kpi_id, l.period, l.window_name, l.org_unit_code
),

breakdown_pass_{{ i }} as (
    select
        p.*,
        p.{{ hid }} or bc.breakdown_value is not null or tc.org_unit_code is not null
            as breakdown_hidden_{{ i }}
    from {{ prev }} p
    left join breakdown_complement_{{ i }} bc
        on bc.kpi_id = p.kpi_id and bc.period = p.period and bc.window_name = p.window_name
       and bc.org_unit_code = p.org_unit_code and bc.breakdown = p.breakdown
       and bc.breakdown_value = p.breakdown_value
    left join total_complement_{{ i }} tc
        on tc.kpi_id = p.kpi_id and tc.period = p.period and tc.window_name = p.window_name
       and tc.org_unit_code = p.org_unit_code and p.breakdown = 'total'
),

-- Pass {{ i }}, hierarchy: when exactly one child of a shown unit is hidden (for a KPI,
-- period, window and breakdown value), the next-smallest sibling with a figure goes too.
lonely_child_{{ i }} as (
    select c.kpi_id, c.period, c.window_name, c.breakdown, c.breakdown_value, c.parent_code
    from breakdown_pass_{{ i }} c
    join breakdown_pass_{{ i }} p
        on p.kpi_id = c.kpi_id and p.period = c.period and p.window_name = c.window_name
       and p.breakdown = c.breakdown and p.breakdown_value = c.breakdown_value
       and p.org_unit_code = c.parent_code
       and not p.breakdown_hidden_{{ i }}
    where c.suppress_small_groups
    group by c.kpi_id, c.period, c.window_name, c.breakdown, c.breakdown_value, c.parent_code
    having sum(case when c.breakdown_hidden_{{ i }} then 1 else 0 end) = 1
),

sibling_smallest_{{ i }} as (
    select c.kpi_id, c.period, c.window_name, c.breakdown, c.breakdown_value, c.parent_code,
           min(coalesce(c.population_n, 0)) as population_n
    from breakdown_pass_{{ i }} c
    join lonely_child_{{ i }} l
        on l.kpi_id = c.kpi_id and l.period = c.period and l.window_name = c.window_name
       and l.breakdown = c.breakdown and l.breakdown_value = c.breakdown_value
       and l.parent_code = c.parent_code
    where not c.breakdown_hidden_{{ i }}
      and c.has_figure
    group by c.kpi_id, c.period, c.window_name, c.breakdown, c.breakdown_value, c.parent_code
),

sibling_complement_{{ i }} as (
    select c.kpi_id, c.period, c.window_name, c.breakdown, c.breakdown_value,
           min(c.org_unit_code) as org_unit_code
    from breakdown_pass_{{ i }} c
    join sibling_smallest_{{ i }} m
        on m.kpi_id = c.kpi_id and m.period = c.period and m.window_name = c.window_name
       and m.breakdown = c.breakdown and m.breakdown_value = c.breakdown_value
       and m.parent_code = c.parent_code
       and m.population_n = coalesce(c.population_n, 0)
    where not c.breakdown_hidden_{{ i }}
      and c.has_figure
    group by c.kpi_id, c.period, c.window_name, c.breakdown, c.breakdown_value, c.parent_code
),

suppression_{{ i }} as (
    select
        a.*,
        a.breakdown_hidden_{{ i }} or sc.org_unit_code is not null as hidden_{{ i }}
    from breakdown_pass_{{ i }} a
    left join sibling_complement_{{ i }} sc
        on sc.kpi_id = a.kpi_id and sc.period = a.period and sc.window_name = a.window_name
       and sc.breakdown = a.breakdown and sc.breakdown_value = a.breakdown_value
       and sc.org_unit_code = a.org_unit_code
),
{% endfor %}

after_hierarchy as (
    select *, hidden_{{ passes }} as suppressed from suppression_{{ passes }}
),

-- A target set at a unit applies to its descendants unless they have their own; an empty
-- org unit is the whole organisation. A target with a target_window applies to that window
-- only (an annual turnover target is not a month's); an empty one to every window. Most
-- specific unit first, then a target for the window over one for every window, then the
-- latest valid_from.
targets as (
    select * from {{ ref('kpi_targets') }}
),

target_candidates as (
    select
        r.kpi_id,
        r.period,
        r.window_name,
        r.org_unit_code,
        t.target_value,
        t.direction,
        row_number() over (
            partition by r.kpi_id, r.period, r.window_name, r.org_unit_code
            order by case when t.org_unit_code is null then 1000 else c.depth end,
                     t.target_window is null, t.valid_from desc
        ) as target_rank
    from (select distinct kpi_id, period, window_name, org_unit_code from figures) r
    join targets t
        on t.kpi_id = r.kpi_id
       and t.valid_from <= r.period
       and (t.valid_to is null or r.period <= t.valid_to)
       and (t.target_window is null or t.target_window = r.window_name)
    left join {{ ref('int_org_closure') }} c
        on c.period = r.period
       and c.ancestor_code = t.org_unit_code
       and c.descendant_code = r.org_unit_code
    where t.org_unit_code is null or c.ancestor_code is not null
),

rounded as (
    select
        h.kpi_id,
        h.period,
        h.window_name,
        h.org_unit_code,
        h.breakdown,
        h.breakdown_value,
        case when h.suppressed then null else round(h.numerator, 4) end as numerator,
        case when h.suppressed then null else round(h.denominator, 4) end as denominator,
        case when h.suppressed then null else round(h.value, 2) end as value,
        h.population_n,
        h.suppressed,
        t.target_value,
        t.direction as target_direction
    from after_hierarchy h
    left join target_candidates t
        on t.kpi_id = h.kpi_id
       and t.period = h.period
       and t.window_name = h.window_name
       and t.org_unit_code = h.org_unit_code
       and t.target_rank = 1
)

select
    cast(kpi_id as varchar) as kpi_id,
    cast(period as date) as period,
    cast(window_name as varchar) as "window",
    cast(org_unit_code as varchar) as org_unit_code,
    cast(breakdown as varchar) as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(numerator as double) as numerator,
    cast(denominator as double) as denominator,
    cast(value as double) as value,
    cast(population_n as bigint) as population_n,
    cast(suppressed as boolean) as suppressed,
    cast(target_value as double) as target_value,
    cast(target_direction as varchar) as target_direction,
    cast(case
        when value is null or target_value is null then null
        when target_direction = 'max' and value <= target_value then 'green'
        when target_direction = 'max'
             and value <= target_value * (1 + {{ param('amber_tolerance_pct') }} / 100.0) then 'amber'
        when target_direction = 'min' and value >= target_value then 'green'
        when target_direction = 'min'
             and value >= target_value * (1 - {{ param('amber_tolerance_pct') }} / 100.0) then 'amber'
        else 'red'
    end as varchar) as status
from rounded
