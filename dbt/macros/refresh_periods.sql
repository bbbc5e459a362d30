{#- Incremental refresh by month (docs/incremental.md). The KPI models from the roll-up to
    kpi_values are incremental tables keyed by period (delete+insert): a refresh rebuilds the
    periods from var refresh_from to var refresh_to (first days of months, set by the
    Dagster dbt asset from audit.load_log: dagster_project/refresh_scope.py) and keeps every
    other period as it is. Without those vars, and on the first build or with --full-refresh,
    every period is built. -#}

{% macro refresh_bounds() %}
    {%- set start = var('refresh_from', none) -%}
    {%- set stop = var('refresh_to', none) -%}
    {#- Unit tests build every period of their fixtures (is_incremental() needs `this`,
        which a unit test does not have). -#}
    {%- if start and stop and model.resource_type != 'unit_test' and is_incremental() -%}
        {%- do return({'from': start, 'to': stop}) -%}
    {%- endif -%}
    {%- do return(none) -%}
{% endmacro %}


{#- The same bounds as month numbers (macros/periods.sql month_no), for the models keyed or
    filtered by month_no; none when every period is built. -#}
{% macro refresh_month_nos() %}
    {%- set bounds = refresh_bounds() -%}
    {%- if bounds is none -%}{%- do return(none) -%}{%- endif -%}
    {%- do return({'first': month_no("cast('" ~ bounds['from'] ~ "' as date)"),
                   'last': month_no("cast('" ~ bounds['to'] ~ "' as date)")}) -%}
{% endmacro %}

{#- A filter on `column` (a month date) for the periods being rebuilt, reaching
    `lookback_months` further back for models whose windows read earlier months;
    `true` when every period is built. -#}
{% macro in_refreshed_periods(column, lookback_months=0) %}
    {%- set bounds = refresh_bounds() -%}
    {%- if bounds is none -%}
        true
    {%- else -%}
        ({{ column }} >= {{ dbt.dateadd('month', -lookback_months, "cast('" ~ bounds['from'] ~ "' as date)") }}
         and {{ column }} <= cast('{{ bounds['to'] }}' as date))
    {%- endif -%}
{% endmacro %}


{#- The last clause of every incremental model: on DuckDB its rows are stored in period order,
    so that each period fills row groups of its own. A refresh then deletes whole row groups
    and its period-filtered reads skip the rest by their min/max. Stored in the order a hash
    join or aggregate left them, every row group held every period: at L a corrected month's
    refresh (16 of 60 periods) of int_kpi_cells took 62 s against 41 s for its full build,
    the delete and its checkpoint rewriting every row group. The sorts cost L's full build
    about a fifth more dbt time (1,448 -> 1,728 s, bench/README.md): a refresh runs every
    month, a full build rarely. Nothing on Spark. -#}
{% macro order_by_period(column='period') -%}
    {{ return(adapter.dispatch('order_by_period')(column)) }}
{%- endmacro %}

{% macro default__order_by_period(column) -%}{%- endmacro %}

{% macro duckdb__order_by_period(column) -%}
    order by {{ column }}
{%- endmacro %}
