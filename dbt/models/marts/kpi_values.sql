-- The published KPI figures: one row per kpi_id, period, window, org unit and breakdown
-- value (docs/definitions.md). Figures come from int_kpi_windowed; this model applies
-- small-group suppression, complementary suppression, targets and status, and rounds.
with figures as (
    select * from {{ ref('int_kpi_windowed') }}
),

catalogue as (
    select * from {{ ref('kpi_catalogue') }} where {{ in_profile() }}
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

-- Integer codes for the keys the suppression passes group and join on. The passes keep
-- several copies of every published row; with the key strings those copies spilled out
-- of memory at demo size already. Codes follow the strings' order, so "the smallest code"
-- picks the same unit or value as "the smallest code string" did.
kpi_codes as (
    select kpi_id, row_number() over (order by kpi_id) as kpi_no from catalogue
),

window_codes as (
    select 'month' as window_name, 1 as window_no
    union all select 'rolling_12m', 2
    union all select 'year', 3
),

breakdown_codes as (
    {{ breakdown_codes() }}
),

unit_codes as (
    select org_unit_code, row_number() over (order by org_unit_code) as unit_no
    from (select distinct org_unit_code from units) u
),

value_codes as (
    select breakdown_value, row_number() over (order by breakdown_value) as value_no
    from (select distinct breakdown_value from figures) v
),

coded as (
    select p.*, k.kpi_no, w.window_no, uc.unit_no, pc.unit_no as parent_no, b.breakdown_no, v.value_no
    from primary_suppression p
    join kpi_codes k on k.kpi_id = p.kpi_id
    join window_codes w on w.window_name = p.window_name
    join breakdown_codes b on b.breakdown = p.breakdown
    join value_codes v on v.breakdown_value = p.breakdown_value
    join unit_codes uc on uc.org_unit_code = p.org_unit_code
    join units u
        on u.period = p.period
       and u.org_unit_code = p.org_unit_code
    left join unit_codes pc on pc.org_unit_code = u.parent_code
),

-- Complementary suppression, repeated in passes: a cell hidden to protect a sibling unit
-- can leave its own breakdown with a single hidden value, and the reverse, so one pass is
-- not enough. Each pass only adds suppression; the dbt test suppression_not_recoverable
-- checks the result. Hiding a parent for an only child can cascade up the hierarchy and
-- into the parent's breakdowns: the 1,000-employee bench data needed five passes, so six.
-- Aggregates, not window functions: this runs over every published row.
-- Breakdown code 0 is the total.
{%- set passes = 6 %}
suppression_0 as (
    select kpi_no, period, window_no, unit_no, parent_no, breakdown_no, value_no,
           population_n, has_figure, suppress_small_groups, is_small as hidden_0
    from coded
),
{% for i in range(1, passes + 1) %}
{%- set prev = 'suppression_' ~ (i - 1) %}
{%- set hid = 'hidden_' ~ (i - 1) %}
-- Pass {{ i }}, breakdowns: when exactly one value of a breakdown is hidden, the total
-- minus the others would reveal it, so the next-smallest (fewest people, then code) of
-- the shown values with a figure goes too.
lonely_in_breakdown_{{ i }} as (
    select kpi_no, period, window_no, unit_no, breakdown_no
    from {{ prev }}
    where suppress_small_groups
      and breakdown_no <> 0
    group by kpi_no, period, window_no, unit_no, breakdown_no
    having sum(case when {{ hid }} then 1 else 0 end) = 1
),

breakdown_smallest_{{ i }} as (
    select p.kpi_no, p.period, p.window_no, p.unit_no, p.breakdown_no,
           min(coalesce(p.population_n, 0)) as population_n
    from {{ prev }} p
    join lonely_in_breakdown_{{ i }} l
        on l.kpi_no = p.kpi_no and l.period = p.period and l.window_no = p.window_no
       and l.unit_no = p.unit_no and l.breakdown_no = p.breakdown_no
    where not p.{{ hid }}
      and p.has_figure
    group by p.kpi_no, p.period, p.window_no, p.unit_no, p.breakdown_no
),

breakdown_complement_{{ i }} as (
    select p.kpi_no, p.period, p.window_no, p.unit_no, p.breakdown_no,
           min(p.value_no) as value_no
    from {{ prev }} p
    join breakdown_smallest_{{ i }} m
        on m.kpi_no = p.kpi_no and m.period = p.period and m.window_no = p.window_no
       and m.unit_no = p.unit_no and m.breakdown_no = p.breakdown_no
       and m.population_n = coalesce(p.population_n, 0)
    where not p.{{ hid }}
      and p.has_figure
    group by p.kpi_no, p.period, p.window_no, p.unit_no, p.breakdown_no
),

-- A lonely hidden value with no shown value left to hide equals the total (less empty
-- cells): the total goes instead. The breakdown is a join key rather than a filter in the
-- ON clause, which would turn the join below into a nested loop.
total_complement_{{ i }} as (
    select l.kpi_no, l.period, l.window_no, l.unit_no, 0 as breakdown_no
    from lonely_in_breakdown_{{ i }} l
    left join breakdown_complement_{{ i }} bc
        on bc.kpi_no = l.kpi_no and bc.period = l.period and bc.window_no = l.window_no
       and bc.unit_no = l.unit_no and bc.breakdown_no = l.breakdown_no
    where bc.value_no is null
    group by l.kpi_no, l.period, l.window_no, l.unit_no
),

breakdown_pass_{{ i }} as (
    select
        p.*,
        p.{{ hid }} or bc.value_no is not null or tc.unit_no is not null
            as breakdown_hidden_{{ i }}
    from {{ prev }} p
    left join breakdown_complement_{{ i }} bc
        on bc.kpi_no = p.kpi_no and bc.period = p.period and bc.window_no = p.window_no
       and bc.unit_no = p.unit_no and bc.breakdown_no = p.breakdown_no
       and bc.value_no = p.value_no
    left join total_complement_{{ i }} tc
        on tc.kpi_no = p.kpi_no and tc.period = p.period and tc.window_no = p.window_no
       and tc.unit_no = p.unit_no and tc.breakdown_no = p.breakdown_no
),

-- Pass {{ i }}, hierarchy: when exactly one child of a shown unit is hidden (for a KPI,
-- period, window and breakdown value), the next-smallest sibling with a figure goes too.
lonely_child_{{ i }} as (
    select c.kpi_no, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no
    from breakdown_pass_{{ i }} c
    join breakdown_pass_{{ i }} p
        on p.kpi_no = c.kpi_no and p.period = c.period and p.window_no = c.window_no
       and p.breakdown_no = c.breakdown_no and p.value_no = c.value_no
       and p.unit_no = c.parent_no
       and not p.breakdown_hidden_{{ i }}
    where c.suppress_small_groups
    group by c.kpi_no, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no
    having sum(case when c.breakdown_hidden_{{ i }} then 1 else 0 end) = 1
),

sibling_smallest_{{ i }} as (
    select c.kpi_no, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no,
           min(coalesce(c.population_n, 0)) as population_n
    from breakdown_pass_{{ i }} c
    join lonely_child_{{ i }} l
        on l.kpi_no = c.kpi_no and l.period = c.period and l.window_no = c.window_no
       and l.breakdown_no = c.breakdown_no and l.value_no = c.value_no
       and l.parent_no = c.parent_no
    where not c.breakdown_hidden_{{ i }}
      and c.has_figure
    group by c.kpi_no, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no
),

sibling_complement_{{ i }} as (
    select c.kpi_no, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no,
           min(c.unit_no) as unit_no
    from breakdown_pass_{{ i }} c
    join sibling_smallest_{{ i }} m
        on m.kpi_no = c.kpi_no and m.period = c.period and m.window_no = c.window_no
       and m.breakdown_no = c.breakdown_no and m.value_no = c.value_no
       and m.parent_no = c.parent_no
       and m.population_n = coalesce(c.population_n, 0)
    where not c.breakdown_hidden_{{ i }}
      and c.has_figure
    group by c.kpi_no, c.period, c.window_no, c.breakdown_no, c.value_no, c.parent_no
),

-- A lonely hidden child with no sibling left to hide (an only child, or siblings without
-- figures) is as good as shown in its parent's figure: the parent goes instead.
parent_complement_{{ i }} as (
    select l.kpi_no, l.period, l.window_no, l.breakdown_no, l.value_no, l.parent_no as unit_no
    from lonely_child_{{ i }} l
    left join sibling_complement_{{ i }} sc
        on sc.kpi_no = l.kpi_no and sc.period = l.period and sc.window_no = l.window_no
       and sc.breakdown_no = l.breakdown_no and sc.value_no = l.value_no
       and sc.parent_no = l.parent_no
    where sc.unit_no is null
),

suppression_{{ i }} as (
    select
        a.*,
        a.breakdown_hidden_{{ i }} or sc.unit_no is not null or pc.unit_no is not null as hidden_{{ i }}
    from breakdown_pass_{{ i }} a
    left join sibling_complement_{{ i }} sc
        on sc.kpi_no = a.kpi_no and sc.period = a.period and sc.window_no = a.window_no
       and sc.breakdown_no = a.breakdown_no and sc.value_no = a.value_no
       and sc.unit_no = a.unit_no
    left join parent_complement_{{ i }} pc
        on pc.kpi_no = a.kpi_no and pc.period = a.period and pc.window_no = a.window_no
       and pc.breakdown_no = a.breakdown_no and pc.value_no = a.value_no
       and pc.unit_no = a.unit_no
),
{% endfor %}

after_hierarchy as (
    select c.*, s.hidden_{{ passes }} as suppressed
    from coded c
    join suppression_{{ passes }} s
        on s.kpi_no = c.kpi_no and s.period = c.period and s.window_no = c.window_no
       and s.unit_no = c.unit_no and s.breakdown_no = c.breakdown_no and s.value_no = c.value_no
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
