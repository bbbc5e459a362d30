{#- Every `dbt build` / `dbt run` on the build database leaves a row in audit.dbt_invocations:
    whether it rebuilt every period (a first build, --full-refresh, or no refresh months) or
    only refresh_from..refresh_to (requested_refresh, macros/refresh_periods.sql). The
    publish reads these rows to know which periods can have changed since the last publish
    (dagster_project/publish.py), so a build run by hand outside Dagster is known too.
    DuckDB only: on Spark nothing is published. -#}
{% macro record_invocation() %}
    {%- if target.type != 'duckdb' or flags.WHICH not in ('build', 'run') -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set requested = requested_refresh() -%}
    {%- set every_period = flags.FULL_REFRESH or not requested -%}
    create schema if not exists audit;
    create table if not exists audit.dbt_invocations (
        invocation_id varchar, finished_at timestamp, command varchar,
        every_period boolean, refresh_from date, refresh_to date);
    insert into audit.dbt_invocations values (
        '{{ invocation_id }}', current_timestamp, '{{ flags.WHICH }}', {{ 'true' if every_period else 'false' }},
        {{ "null" if every_period else "date '" ~ requested['from'] ~ "'" }},
        {{ "null" if every_period else "date '" ~ requested['to'] ~ "'" }})
{%- endmacro %}
