{{ config(materialized="view") }}
-- One complementary pass of the staff supply outlook's small-group rule
-- (macros/staff_supply.sql, staff_supply_pass) over its start state: the step
-- int_staff_supply_suppressed repeats until it hides nothing more. A view, so the unit tests
-- pin one pass on both engines with a fixture for the state it starts from. `added` marks the
-- counts the pass hid.
{{ staff_supply_pass(ref('int_staff_supply_start')) }}
