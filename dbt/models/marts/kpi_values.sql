{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- The published KPI figures: one row per kpi_id (e.g. exit_turnover_pct), period, window,
-- org unit and breakdown value (docs/definitions.md, docs/kpi-path.md). The figures come
-- from int_kpi_windowed, their suppression from int_kpi_suppressed and their targets from
-- int_kpi_targets; this model rounds once and sets the status.
with cells as (
    select * from {{ ref('int_kpi_suppressed') }}
    where {{ in_refreshed_periods('period') }}
),

targets as (
    select * from {{ ref('int_kpi_targets') }}
    where {{ in_refreshed_periods('period') }}
),

rounded as (
    select
        c.kpi_id,
        c.period,
        c.window_name,
        c.org_unit_code,
        c.breakdown,
        c.breakdown_value,
        -- numerator and denominator are exact decimals rounded once here; value is the
        -- double quotient of exact sums, rounded once, half away from zero on a decimal so
        -- that both engines round an exact half alike (macros/types.sql, round_half_up).
        case when c.suppressed then null else {{ round_half_up('c.numerator', 4) }} end as numerator,
        case when c.suppressed then null else {{ round_half_up('c.denominator', 4) }} end as denominator,
        case when c.suppressed then null else {{ round_half_up('c.value', 2) }} end as value,
        c.population_n,
        c.suppressed,
        t.target_value,
        t.target_direction
    from cells c
    left join targets t
        on t.kpi_id = c.kpi_id
       and t.period = c.period
       and t.window_name = c.window_name
       and t.org_unit_code = c.org_unit_code
)

select
    cast(kpi_id as {{ dbt.type_string() }}) as kpi_id,
    cast(period as date) as period,
    cast(window_name as {{ dbt.type_string() }}) as {{ adapter.quote('window') }},
    cast(org_unit_code as {{ dbt.type_string() }}) as org_unit_code,
    cast(breakdown as {{ dbt.type_string() }}) as breakdown,
    cast(breakdown_value as {{ dbt.type_string() }}) as breakdown_value,
    cast(numerator as {{ type_double() }}) as numerator,
    cast(denominator as {{ type_double() }}) as denominator,
    cast(value as {{ type_double() }}) as value,
    cast(population_n as bigint) as population_n,
    cast(suppressed as boolean) as suppressed,
    cast(target_value as {{ type_double() }}) as target_value,
    cast(target_direction as {{ dbt.type_string() }}) as target_direction,
    cast(case
        when value is null or target_value is null then null
        when target_direction = 'max' and value <= target_value then 'green'
        when target_direction = 'max'
             and value <= target_value * (1 + {{ param('amber_tolerance_pct') }} / 100.0) then 'amber'
        when target_direction = 'min' and value >= target_value then 'green'
        when target_direction = 'min'
             and value >= target_value * (1 - {{ param('amber_tolerance_pct') }} / 100.0) then 'amber'
        else 'red'
    end as {{ dbt.type_string() }}) as status
from rounded
{{ order_by_period() }}
