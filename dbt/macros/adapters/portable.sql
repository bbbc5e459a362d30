{#- SQL that DuckDB and Spark spell differently, each dispatched per adapter (dbt's
    adapter.dispatch: `spark__x` on the spark target, `default__x` everywhere else). Models
    call these, or dbt's own cross-database macros (dbt.type_string(), dbt.listagg(), ...),
    instead of engine-specific SQL, so one set of models runs on both targets. -#}

{#- Rounding, decided once: half away from zero, on a decimal. round() on a double rounds
    exact halves differently between engines (DuckDB's 0.285 is the double just below, Spark
    rounds the shortest decimal that prints it), so the figure is first fixed at ten decimals
    and then rounded. The result is a decimal with `digits` decimals on both engines. -#}
{% macro round_half_up(expression, digits) -%}
    {{ return(adapter.dispatch('round_half_up', 'hr_kpi')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_half_up(expression, digits) -%}
    round(cast({{ expression }} as decimal(38, 10)), {{ digits }})
{%- endmacro %}

{#- Values of a group joined into one string in a given order (an org unit's path from the
    root). dbt-spark's dbt.listagg drops the order by silently, and Spark's collect_list
    keeps whatever order the shuffle delivers, so on Spark the values are sorted by the
    key explicitly. `order_by` is one expression, `descending` its direction. -#}
{% macro ordered_listagg(expression, delimiter, order_by, descending=false) -%}
    {{ return(adapter.dispatch('ordered_listagg', 'hr_kpi')(expression, delimiter, order_by, descending)) }}
{%- endmacro %}

{% macro default__ordered_listagg(expression, delimiter, order_by, descending) -%}
    {{ dbt.listagg(expression, delimiter, 'order by ' ~ order_by ~ (' desc' if descending else '')) }}
{%- endmacro %}

{% macro spark__ordered_listagg(expression, delimiter, order_by, descending) -%}
    array_join(
        transform(
            sort_array(collect_list(struct({{ order_by }} as sort_key, {{ expression }} as item)), {{ 'false' if descending else 'true' }}),
            x -> x.item
        ),
        {{ delimiter }}
    )
{%- endmacro %}

{#- A work table (re)built from a query inside a model, such as the suppression passes.
    Spark replaces a table only in a v2 catalog (Delta, Iceberg): there it is dropped and
    created, as Parquet like the models. -#}
{% macro replace_work_table(relation, sql) -%}
    {{ return(adapter.dispatch('replace_work_table', 'hr_kpi')(relation, sql)) }}
{%- endmacro %}

{% macro default__replace_work_table(relation, sql) -%}
    {%- do run_query('create or replace table ' ~ relation ~ ' as ' ~ sql) -%}
{%- endmacro %}

{% macro spark__replace_work_table(relation, sql) -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- do run_query('create table ' ~ relation ~ ' using parquet as ' ~ sql) -%}
{%- endmacro %}
