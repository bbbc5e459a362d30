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

-- Complementary suppression across a breakdown: when exactly one value of a breakdown is
-- suppressed, the total minus the others would reveal it, so the next-smallest goes too.
breakdown_ranked as (
    select
        *,
        sum(case when is_small then 1 else 0 end) over (
            partition by kpi_id, period, window_name, org_unit_code, breakdown) as small_in_breakdown,
        row_number() over (
            partition by kpi_id, period, window_name, org_unit_code, breakdown, is_small
            order by case when has_figure then 0 else 1 end, population_n, breakdown_value) as rank_in_breakdown
    from primary_suppression
),

after_breakdown as (
    select
        *,
        is_small
        or (suppress_small_groups
            and breakdown <> 'total'
            and small_in_breakdown = 1
            and not is_small
            and has_figure
            and rank_in_breakdown = 1) as suppressed_1
    from breakdown_ranked
),

-- Complementary suppression across the hierarchy: when exactly one child of a shown unit
-- is suppressed, the next-smallest sibling is suppressed too.
with_parent as (
    select
        a.*,
        u.parent_code,
        sum(case when a.suppressed_1 then 1 else 0 end) over (
            partition by a.kpi_id, a.period, a.window_name, a.breakdown, a.breakdown_value, u.parent_code
        ) as suppressed_siblings,
        row_number() over (
            partition by a.kpi_id, a.period, a.window_name, a.breakdown, a.breakdown_value, u.parent_code,
                         a.suppressed_1
            order by case when a.has_figure then 0 else 1 end, a.population_n, a.org_unit_code) as rank_in_siblings
    from after_breakdown a
    join units u
        on u.period = a.period
       and u.org_unit_code = a.org_unit_code
),

after_hierarchy as (
    select
        c.*,
        c.suppressed_1
        or (c.suppress_small_groups
            and c.parent_code is not null
            and c.suppressed_siblings = 1
            and not c.suppressed_1
            and c.has_figure
            and c.rank_in_siblings = 1
            and exists (
                select 1 from after_breakdown p
                where p.kpi_id = c.kpi_id
                  and p.period = c.period
                  and p.window_name = c.window_name
                  and p.breakdown = c.breakdown
                  and p.breakdown_value = c.breakdown_value
                  and p.org_unit_code = c.parent_code
                  and not p.suppressed_1)) as suppressed
    from with_parent c
),

-- A target set at a unit applies to its descendants unless they have their own; an empty
-- org unit is the whole organisation. Most specific first, then the latest valid_from.
targets as (
    select * from {{ ref('kpi_targets') }}
),

target_candidates as (
    select
        r.kpi_id,
        r.period,
        r.org_unit_code,
        t.target_value,
        t.direction,
        row_number() over (
            partition by r.kpi_id, r.period, r.org_unit_code
            order by case when t.org_unit_code is null then 1000 else c.depth end, t.valid_from desc
        ) as target_rank
    from (select distinct kpi_id, period, org_unit_code from figures) r
    join targets t
        on t.kpi_id = r.kpi_id
       and t.valid_from <= r.period
       and (t.valid_to is null or r.period <= t.valid_to)
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
