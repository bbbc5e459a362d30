{{ config(materialized="view") }}
-- One pass of complementary suppression: the hierarchy half (macros/suppression.sql,
-- suppression_hierarchy) over the breakdown half, int_kpi_suppression_breakdowns. This is
-- the step int_kpi_suppressed repeats until it hides nothing more (suppression_pass, the
-- two halves in one statement over the work table before). A half is one relation over the
-- one before, so the unit tests pin a half at a time on both engines: a fixture stands for
-- the state it starts from (the start, or the state after earlier passes). `added` marks
-- the cells the pass hid.
{{ suppression_hierarchy(ref('int_kpi_suppression_breakdowns')) }}
