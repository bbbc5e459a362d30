{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- Monthly facts for the agency-staff and overtime KPIs. Agency invoices carry their own unit
-- and Period; payroll lines their own unit and Avser period.
-- Incremental by period: each month's facts come from that month's invoices, lines and FTE.
{% call in_period_order() %}
with agency as (
    select period_month as period, {{ month_no('period_month') }} as month_no, org_unit_code,
           amount, hours
    from {{ ref('stg_agency_costs') }}
    where {{ in_refreshed_periods('period_month') }}
),

payroll as (
    select * from {{ ref('int_payroll_lines') }}
    where {{ in_refreshed_periods('period') }}
),

unioned as (
    select 'agency_cost_sek' as kpi_id, period, month_no, org_unit_code,
           amount as numerator, cast(null as {{ type_fact() }}) as denominator
    from agency

    union all
    select 'agency_cost_share_pct', period, month_no, org_unit_code, amount, 0.0
    from agency

    union all
    select 'agency_cost_share_pct', period, month_no, org_unit_code,
           -- Exact: (100 + rate) x 0.01 instead of a division.
           0.0, amount * (100 + po_rate_pct) * 0.01
    from payroll
    where is_personnel_cost

    union all
    select 'agency_fte', period, month_no, org_unit_code,
           cast(coalesce(hours, 0) / {{ param('full_time_hours_per_month') }} as {{ type_fact() }}), null
    from agency

    union all
    select 'overtime_hours_per_fte', period, month_no, org_unit_code, coalesce(quantity, 0), 0.0
    from payroll
    where is_overtime_or_extra

    union all
    select 'overtime_hours_per_fte', period, month_no, org_unit_code, 0.0, fte
    from {{ ref('int_employee_fte') }}
    where {{ in_refreshed_periods('period') }}
)

select
    kpi_id, period, month_no, org_unit_code,
    cast(null as {{ dbt.type_string() }}) as gender, cast(null as {{ dbt.type_string() }}) as age_group,
    cast(null as {{ dbt.type_string() }}) as employment_type, cast(null as {{ dbt.type_string() }}) as profession_group,
    cast(null as {{ dbt.type_string() }}) as reason_group,
    numerator, denominator,
    cast(null as {{ type_fact() }}) as numerator_n, cast(null as {{ type_fact() }}) as denominator_n,
    cast(null as bigint) as persons
from unioned
{% endcall %}
