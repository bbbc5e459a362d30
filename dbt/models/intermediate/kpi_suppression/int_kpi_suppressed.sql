{{ config(post_hook="{{ drop_suppression_work_tables(this) }}") }}
-- depends_on: {{ ref('parameters') }}
-- Complementary suppression until nothing changes: every cell of int_kpi_cells (by kpi_id,
-- e.g. exit_turnover_pct) with `suppressed`. A cell hidden to protect a sibling unit can
-- leave its own breakdown with a single hidden value, and the reverse, so one pass is not
-- enough; each pass (macros/suppression.sql) only adds suppression, and passes repeat until
-- one adds nothing. More than the parameter suppression_max_passes fails the build, naming
-- the count, rather than publishing cells that subtraction could recover.
-- In a dbt run or build the passes are materialised one after another as work tables
-- (int_kpi_suppressed__start, __pass_a, __pass_b: dropped after the model is built). Unit
-- tests and `dbt compile` / docs get the same passes as CTEs, a fixed number of them
-- (var suppression_static_passes): unit tests cannot run statements on their fixtures.
{%- set cells = ref('int_kpi_cells') %}
{%- if execute and flags.WHICH in ('run', 'build') and model.resource_type == 'model' %}
{%- set result = settle_suppression(cells, this) %}
{{ suppression_result(result.start, result.last) }}
{%- else %}
{%- set passes = var('suppression_static_passes', 4) %}
with pass_0 as (
    {{ suppression_start(cells) }}
),
{%- for i in range(1, passes + 1) %}
pass_{{ i }} as (
    {{ suppression_pass('pass_' ~ (i - 1)) }}
){{ ',' if not loop.last }}
{%- endfor %}
{{ suppression_result('pass_0', 'pass_' ~ passes) }}
{%- endif %}
