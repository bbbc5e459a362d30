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
-- (int_kpi_suppressed__start, __input, __pass_a, __pass_b, __hidden: dropped after the
-- model is built), each from the one before: no engine has to plan more than one pass at a
-- time. A pass reads only the slices (KPI, period, window) in which the pass before hid a
-- cell: no suppression group crosses a slice, so any other slice is settled. A pass is unit
-- tested as its two halves, the views int_kpi_suppression_breakdowns and
-- int_kpi_suppression_pass (unit tests cannot run statements); the data test
-- suppression_settled checks that one more pass over this model's result hides nothing.
-- `dbt compile` and the docs show the first pass only.
{%- set start = ref('int_kpi_suppression_start') %}
{%- if execute and flags.WHICH in ('run', 'build', 'retry') and model.resource_type == 'model' %}
{%- set slices = {'slice': ['kpi_id', 'period', 'window_no'],
                  'key': ['kpi_id', 'period', 'window_no', 'unit_no', 'breakdown_no', 'value_no'],
                  'state': ['parent_no', 'population_n', 'has_figure', 'suppress_small_groups']} %}
{%- set result = settle_suppression(start, this, suppression_pass, in_refreshed_periods('period'), slices) %}
{{ suppression_result(result.start, result.added) }}
{%- else %}
{{ suppression_result(start, ref('int_kpi_suppression_pass')) }}
{%- endif %}
{{ order_by_period() }}
