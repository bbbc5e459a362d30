{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- The people behind each person-based KPI, per month and leaf unit (population_basis in the
-- catalogue seed names the set: exit_turnover_pct's is 'permanent'). population_n is a
-- distinct count over a window and a subtree, so it cannot be summed from monthly figures:
-- it is counted in int_kpi_population.
-- A month's members come from that month's register and events alone, so a refresh rebuilds
-- only its periods (docs/incremental.md).
with spine as (
    select * from {{ ref('int_employee_months') }}
    where {{ in_refreshed_periods('period') }}
),

events as (
    select * from {{ ref('int_employment_events') }}
    where {{ in_refreshed_periods('period') }}
),

members as (
    select 'register' as population_basis, person_key, period, month_no, org_unit_code,
           gender, age_group, employment_type, profession_group
    from spine
    union all
    select 'monthly_paid', person_key, period, month_no, org_unit_code,
           gender, age_group, employment_type, profession_group
    from spine where is_monthly_paid
    union all
    select 'permanent', person_key, period, month_no, org_unit_code,
           gender, age_group, employment_type, profession_group
    from spine where employment_type = 'permanent'
    union all
    select 'scheduled', person_key, period, month_no, org_unit_code,
           gender, age_group, employment_type, profession_group
    from spine where ordinary_hours > 0
    union all
    select case event_type when 'NY' then 'hires' else 'exits' end, person_key, period, month_no,
           org_unit_code, gender, age_group,
           employment_type,
           null
    from events where event_type in ('NY', 'AVG')
)

select distinct * from members
{{ order_by_period() }}
