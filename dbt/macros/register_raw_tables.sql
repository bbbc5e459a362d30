{#- `dbt run-operation register_raw_tables --target spark --args '{location: ..., tables: [...]}'`:
    the raw tables as external Parquet tables in the Spark target's catalog, over the files
    dagster_project/spark_raw.py wrote (one folder per table under `location`). On DuckDB
    the loader writes raw.* itself, so there is nothing to register. -#}
{% macro register_raw_tables(location, tables) %}
    {%- if target.type == 'duckdb' -%}
        {{ exceptions.raise_compiler_error("register_raw_tables is for the Spark target: on DuckDB the loader writes raw.* itself") }}
    {%- endif -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- for table in tables -%}
        {%- do run_query('drop table if exists raw.' ~ table) -%}
        {%- do run_query("create table raw." ~ table ~ " using parquet location '" ~ location.rstrip('/') ~ "/" ~ table ~ "'") -%}
        {%- do log('raw.' ~ table ~ ' -> ' ~ location.rstrip('/') ~ '/' ~ table, info=true) -%}
    {%- endfor -%}
{% endmacro %}
