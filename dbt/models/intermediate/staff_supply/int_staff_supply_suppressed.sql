{{ config(post_hook="{{ drop_suppression_work_tables(this) }}") }}
-- depends_on: {{ ref('parameters') }}
-- The staff supply outlook's counts with `suppressed` after complementary suppression: a
-- hidden count next to a shown total, or the only hidden child of a shown unit, could be
-- recovered by subtraction, so each pass (macros/staff_supply.sql) hides the smallest shown
-- neighbour as well, and passes repeat until one hides nothing. More than the parameter
-- suppression_max_passes fails the build, naming the count.
-- As int_kpi_suppressed: in a dbt run or build the passes are work tables, one after another
-- (macros/suppression.sql, settle_suppression), so no engine plans more than one pass at a
-- time (four chained in one query ran Spark's driver out of memory). `dbt compile`, the docs
-- and unit tests show the first pass only.
{%- set start = ref('int_staff_supply_start') %}
{%- if execute and flags.WHICH in ('run', 'build', 'retry') and model.resource_type == 'model' %}
{%- set result = settle_suppression(start, this, staff_supply_pass) %}
{%- set last = result.last %}
{%- else %}
{%- set last = ref('int_staff_supply_pass') %}
{%- endif %}
select org_unit_code, profession_group, year_offset, staff_n, reaching_n, suppressed
from {{ last }}
