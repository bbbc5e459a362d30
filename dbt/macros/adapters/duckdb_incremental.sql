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


{#- Hooks around a model whose refresh of a few periods DuckDB would plan with the large
    side of an outer join as the hash table: the optimizer that swaps build and probe sides
    trusts a row estimate that the period filter makes far too small, and at L the
    corrected-month refresh of int_kpi_window_sums then ran out of its 3 GB (the full build,
    with better estimates, did not). Without the swap the small side (the long-spell
    adjustments) is the hash table: 57 s instead of out of memory. Nothing on Spark. -#}
{% macro keep_join_sides() -%}
    {{ return(adapter.dispatch('keep_join_sides')()) }}
{%- endmacro %}

{% macro default__keep_join_sides() -%}{%- endmacro %}

{% macro duckdb__keep_join_sides() -%}
    set disabled_optimizers = 'build_side_probe_side'
{%- endmacro %}

{% macro restore_join_sides() -%}
    {{ return(adapter.dispatch('restore_join_sides')()) }}
{%- endmacro %}

{% macro default__restore_join_sides() -%}{%- endmacro %}

{% macro duckdb__restore_join_sides() -%}
    reset disabled_optimizers
{%- endmacro %}


{#- delete+insert by period deletes every rebuilt period (macros/refresh_periods.sql
    refreshed_keys), then the adapter's own statement deletes the keys the new rows hold and
    inserts them. dbt's delete alone kept a rebuilt period that got no new rows: a correction
    that removed the only long spell of a window ending in January left January's old
    long-spell adjustment in place (tests/test_incremental.py). dbt looks in the root
    project first for this macro. -#}
{% macro duckdb__get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
    {%- set rebuilt = refreshed_keys(unique_key) if unique_key is string else none -%}
    {%- if rebuilt is not none %}
    delete from {{ target }} where {{ rebuilt }};
    {%- endif %}
    {{ dbt.duckdb__get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) }}
{%- endmacro %}
