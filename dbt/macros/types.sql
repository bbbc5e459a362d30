{#- Exact numbers. Hours, amounts, rates and salaries are read as the contract's decimal
    (DECIMAL(18,4), dagster_project/contracts.py) and every KPI fact is a fact_decimal:
    sums of decimals are exact, so a figure does not depend on the order rows are summed in
    (thread count, build order, which months a refresh rebuilt). A quotient inside a row
    (hours per FTE, a spell's hours on days 1-14) is rounded to the fact scale once, in that
    row; ratios between summed figures are formed at the end (int_kpi_window_figures) and
    rounded once, in kpi_values. Written as macros so another adapter (Spark) reads the
    same types. -#}

{% macro type_extract_decimal() -%} decimal(18, 4) {%- endmacro %}

{#- 38 digits, 10 after the point: 28 before it hold any sum of öre or minutes a region can
    have, and 10 keep a per-row quotient such as 40 / 165 FTE well below the published 4. -#}
{% macro type_fact() -%} decimal(38, 10) {%- endmacro %}

{#- A count of people, months or days. DuckDB widens a sum of integers to HUGEINT, and a
    stored HUGEINT column scans about a hundred times slower than a BIGINT one (L: 11 s
    against 0.1 s for 53 M rows, read by every later model and by the publish's
    fingerprints), so a count that is stored is cast back; no count comes near 2^63. -#}
{% macro type_count() -%} bigint {%- endmacro %}

{#- An 8-byte float for the published figures. dbt.type_float() is FLOAT on dbt-duckdb,
    which DuckDB reads as a 4-byte REAL; DOUBLE is the same type on DuckDB and Spark. -#}
{% macro type_double() -%} {{ return(adapter.dispatch('type_double')()) }} {%- endmacro %}
{% macro default__type_double() -%} double {%- endmacro %}
{% macro postgres__type_double() -%} double precision {%- endmacro %}
