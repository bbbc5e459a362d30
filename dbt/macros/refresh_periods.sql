{#- Incremental refresh by month (docs/incremental.md). The KPI models from the roll-up to
    kpi_values are incremental tables keyed by period (delete+insert): a refresh rebuilds the
    periods from refresh_from to refresh_to (first days of months) and keeps every other
    period as it is. Without them, and on the first build or with --full-refresh, every
    period is built. -#}

{#- The requested months: vars refresh_from/refresh_to (a build by hand), else the environment
    variables HRKPI_REFRESH_FROM/HRKPI_REFRESH_TO, which the Dagster dbt asset sets from
    audit.load_log (dagster_project/refresh_scope.py); none when neither is set. Read only
    when dbt executes: CLI vars are part of dbt's parse state, so vars that change every month
    made each refresh parse the whole project again (8 s whatever the size), and an env var
    read at parse time would be recorded against every model that asks. -#}
{% macro requested_refresh() %}
    {%- if not execute -%}{%- do return(none) -%}{%- endif -%}
    {%- set start = var('refresh_from', none) -%}
    {%- set stop = var('refresh_to', none) -%}
    {%- if not (start and stop) -%}
        {%- set start = env_var('HRKPI_REFRESH_FROM', '') -%}
        {%- set stop = env_var('HRKPI_REFRESH_TO', '') -%}
    {%- endif -%}
    {%- if start and stop -%}{%- do return({'from': start, 'to': stop}) -%}{%- endif -%}
    {%- do return(none) -%}
{% endmacro %}

{% macro refresh_bounds() %}
    {%- set requested = requested_refresh() -%}
    {#- Unit tests build every period of their fixtures (is_incremental() needs `this`,
        which a unit test does not have). -#}
    {%- if requested and model.resource_type != 'unit_test' and is_incremental() -%}
        {%- do return(requested) -%}
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

{#- The month_no counterpart of in_refreshed_periods below: a filter on `column` (a month
    number) for the months being rebuilt, reaching `lookback_months` further back; `true`
    when every period is built. -#}
{% macro in_refreshed_month_nos(column='month_no', lookback_months=0) %}
    {%- set months = refresh_month_nos() -%}
    {%- if months is none -%}
        true
    {%- else -%}
        ({{ column }} between {{ months.first }} - {{ lookback_months }} and {{ months.last }})
    {%- endif -%}
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


{#- The rebuilt keys of a period-keyed incremental model, as a filter on its unique_key
    (`period`, a month date, or `month_no`); none when every period is built. The
    delete+insert of every incremental model deletes these keys, not only the ones its new
    rows hold (macros/adapters/duckdb_incremental.sql, spark_incremental.sql): a rebuilt
    period whose last rows a correction removed (the only long spell of a window ending that
    month, say) must not keep them. -#}
{% macro refreshed_keys(unique_key) -%}
    {%- if refresh_bounds() is none -%}{%- do return(none) -%}{%- endif -%}
    {%- if unique_key == 'period' -%}
        {%- do return(in_refreshed_periods('period')) -%}
    {%- elif unique_key == 'month_no' -%}
        {%- do return(in_refreshed_month_nos('month_no')) -%}
    {%- endif -%}
    {%- do exceptions.raise_compiler_error(
        model.name ~ " is rebuilt by period (refresh_from/refresh_to) but keyed by " ~ unique_key
        ~ ": an incremental model here is keyed by period or month_no (docs/incremental.md)") -%}
{%- endmacro %}


{#- The same period order for the facts below the roll-up and int_kpi_window_sums, as a call
    block around the whole query: `{% call in_period_order() %} with ... select ... {% endcall %}`.
    Their queries hold hash tables (person keys; the windows' sorts) while they run, and
    sorted in the same pipeline they ran out of DuckDB's 3 GB at L (int_kpi_facts_workforce:
    20 M rows, "could not allocate block"); a materialised CTE lets the rows spill first and
    the sort read them back (workforce at L: 11 s unordered, 26 s this way, out of memory
    with order by alone). -#}
{% macro in_period_order(column='period') -%}
    {{ return(adapter.dispatch('in_period_order')(caller(), column)) }}
{%- endmacro %}

{% macro default__in_period_order(rows_sql, column) -%}
    {{ rows_sql }}
{%- endmacro %}

{% macro duckdb__in_period_order(rows_sql, column) -%}
with period_rows as materialized (
{{ rows_sql }}
)
select * from period_rows
order by {{ column }}
{%- endmacro %}
