{#- Incremental refresh by period (delete+insert, macros/refresh_periods.sql) on Spark.
    dbt-spark knows only append, insert_overwrite (by partition), merge (Delta, Iceberg, Hudi)
    and microbatch, and rejects delete+insert before it runs anything, even on a first
    build. The KPI models' Parquet tables cannot delete rows, so here the rebuilt periods
    replace the old ones by rewriting the table: the kept periods and the new rows go into a
    work table, which then overwrites the model's table (same table, same contract). dbt
    looks in the root project first for these two macros, as for spark__load_csv_rows. -#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {%- if raw_strategy == 'delete+insert' -%}
        {{ return(raw_strategy) }}
    {%- endif -%}
    {{ return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{% endmacro %}


{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
    {%- if strategy != 'delete+insert' -%}
        {{ return(dbt.dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates)) }}
    {%- endif -%}
    {%- if unique_key is none or unique_key is not string -%}
        {{ exceptions.raise_compiler_error("delete+insert on Spark needs one unique_key column (the period), got " ~ unique_key) }}
    {%- endif -%}
    {#- Every rebuilt period goes, also one that got no new rows (macros/refresh_periods.sql). -#}
    {%- set rebuilt = refreshed_keys(unique_key) -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | join(', ') -%}
    {%- set merged = target.incorporate(path={"identifier": target.identifier ~ '__dbt_merged'}) -%}
    {%- do run_query('drop table if exists ' ~ merged) -%}
    {%- do run_query('create table ' ~ merged ~ ' using parquet as'
                     ~ ' select ' ~ columns ~ ' from ' ~ target
                     ~ ' where ' ~ unique_key ~ ' not in (select ' ~ unique_key ~ ' from ' ~ source ~ ')'
                     ~ (' and not (' ~ rebuilt ~ ')' if rebuilt is not none else '')
                     ~ ' union all select ' ~ columns ~ ' from ' ~ source) -%}
    {%- do run_query('insert overwrite table ' ~ target ~ ' select ' ~ columns ~ ' from ' ~ merged) -%}
    drop table if exists {{ merged }}
{% endmacro %}
