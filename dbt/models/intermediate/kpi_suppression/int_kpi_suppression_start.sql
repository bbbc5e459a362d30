{{ config(materialized="view") }}
-- The state complementary suppression starts from: every cell of int_kpi_cells (by kpi_id,
-- e.g. exit_turnover_pct) with integer codes for its keys and primary suppression as
-- `hidden` (macros/suppression.sql, suppression_start). A view: int_kpi_suppressed copies
-- the periods it rebuilds into its first work table.
{{ suppression_start(ref('int_kpi_cells')) }}
