{{ config(materialized="view") }}
-- The breakdown half of one pass of complementary suppression over the start state: the
-- state with `breakdown_hidden` (macros/suppression.sql, suppression_breakdowns; every pass
-- of int_kpi_suppressed runs the same macro). With int_kpi_suppression_pass it is what the
-- unit tests pin on both engines: a fixture stands for the state the half starts from.
{{ suppression_breakdowns(ref('int_kpi_suppression_start')) }}
