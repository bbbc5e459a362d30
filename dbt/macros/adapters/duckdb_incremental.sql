{#- The rows an incremental model rebuilds (macros/refresh_periods.sql) go into a work table
    in the model's own schema, not a temporary table as dbt-duckdb makes them. DuckDB keeps a
    temporary table in memory: at L (60,000 x 60) the 16 months of int_kpi_window_sums a
    corrected month rebuilds did not fit the 3 GB memory limit ("failed to pin block"), where
    a table of the database file spills like any other. The materialisation drops the work
    table after the insert, as it does on MotherDuck, whose branch of the same macro this
    follows; one left behind by a killed run is dropped here first. dbt looks in the root
    project first for this macro. -#}
{% macro duckdb__dispatch_temporary_relation(target_relation, batch_id='') %}
    {%- set relation = target_relation.incorporate(
            path={"identifier": target_relation.identifier ~ '__dbt_rebuilt' ~ (batch_id or '')},
            type='table') -%}
    {%- do adapter.drop_relation(relation) -%}
    {%- do return({'relation': relation, 'temporary': false}) -%}
{% endmacro %}
