{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- Payroll lines in the month they concern (Avser period), with the pay-type flags and the
-- personnel-overhead rate of that year: a retroactive correction lands where it belongs.
-- Incremental by period (Avser period): a refresh's scope reaches back to the earliest
-- Avser period of the lines it loaded or replaced (dagster_project/refresh_scope.py).
{% call in_period_order() %}
select
    p.person_key,
    p.relates_to_month as period,
    {{ month_no('p.relates_to_month') }} as month_no,
    p.period_month as pay_month,
    p.org_unit_code,
    p.pay_type_code,
    t.category as pay_type_category,
    t.is_personnel_cost,
    t.is_overtime_or_extra,
    p.quantity,
    p.amount,
    cast(po.value as {{ type_extract_decimal() }}) as po_rate_pct
from {{ ref('stg_payroll') }} p
join {{ ref('pay_types') }} t
    on t.pay_type_code = p.pay_type_code
left join {{ ref('parameters') }} po
    on po.parameter = 'po_rate_pct'
   and po.year = cast(extract(year from p.relates_to_month) as integer)
where {{ in_refreshed_periods('p.relates_to_month') }}
{% endcall %}
