-- Staff supply outlook (issue 17): for each org unit (covering its descendants in the latest
-- loaded month's hierarchy) and profession group ('total' for all), today's staff and how many
-- of them reach the retirement age in each of the next 10 calendar years (var
-- staff_supply_years) after the latest loaded month's year; year_offset 0 counts those who
-- reach it in that year or have already.
-- The counts and their small-group rule are intermediate/staff_supply: int_staff_supply_start
-- (counts, primary suppression), int_staff_supply_suppressed (complementary passes until
-- nothing changes). Here a hidden count and its share are left out, and the share is rounded
-- once, half away from zero.
with latest_year as (
    select max(period) as period, cast(extract(year from max(period)) as integer) as year
    from {{ ref('int_months') }}
)

select
    cast(y.period as date) as period,
    cast(f.org_unit_code as {{ dbt.type_string() }}) as org_unit_code,
    cast(f.profession_group as {{ dbt.type_string() }}) as profession_group,
    cast(f.year_offset as integer) as year_offset,
    cast(y.year + f.year_offset as integer) as year,
    cast(f.staff_n as bigint) as staff_n,
    cast(case when f.suppressed then null else f.reaching_n end as bigint) as reaching_n,
    cast(case when f.suppressed or f.staff_n = 0 then null
              else {{ round_half_up('100.0 * f.reaching_n / f.staff_n', 1) }} end as {{ type_double() }}) as reaching_share_pct,
    cast(f.suppressed as boolean) as suppressed
from {{ ref('int_staff_supply_suppressed') }} f
cross join latest_year y
