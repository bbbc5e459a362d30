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
