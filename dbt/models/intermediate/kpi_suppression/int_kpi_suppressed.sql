{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period",
          on_schema_change="fail", post_hook="{{ drop_suppression_work_tables(this) }}") }}
-- depends_on: {{ ref('parameters') }}
-- Complementary suppression until nothing changes: every cell of int_kpi_cells (by kpi_id,
-- e.g. exit_turnover_pct) with `suppressed`. A cell hidden to protect a sibling unit can
-- leave its own breakdown with a single hidden value, and the reverse, so one pass is not
-- enough; each pass (macros/suppression.sql) only adds suppression, and passes repeat until
-- one adds nothing. More than the parameter suppression_max_passes fails the build, naming
-- the count, rather than publishing cells that subtraction could recover.
-- In a dbt run or build the passes are materialised one after another as work tables
-- (int_kpi_suppressed__start, __pass_a, __pass_b: dropped after the model is built), each
-- from the one before: no engine has to plan more than one pass at a time. A pass is unit
-- tested as its two halves, the views int_kpi_suppression_breakdowns and
-- int_kpi_suppression_pass (unit tests cannot run statements); the data test
-- suppression_settled checks that one more pass over this model's result hides nothing.
-- `dbt compile` and the docs show the first pass only.
{%- set start = ref('int_kpi_suppression_start') %}
{%- if execute and flags.WHICH in ('run', 'build', 'retry') and model.resource_type == 'model' %}
{%- set result = settle_suppression(start, this, suppression_pass, in_refreshed_periods('period')) %}
{{ suppression_result(result.start, result.last) }}
{%- else %}
{{ suppression_result(start, ref('int_kpi_suppression_pass')) }}
{%- endif %}
{{ order_by_period() }}
