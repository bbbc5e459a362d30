{#- Data tests after an incremental refresh (docs/incremental.md) check the periods it rebuilt.

    dbt wraps the model of every generic test in get_where_subquery; this version adds the
    refresh's period filter when the tested model is one of the KPI models kept by period
    (incremental, unique_key "period") and the run is incremental (refresh_from/refresh_to
    set, no --full-refresh). The periods it keeps were tested by the build that wrote them
    and have not changed since; each of these tests compares rows within one period (grain,
    suppression within a period's hierarchy and breakdowns, children against parents), so
    no failure can hide in a kept period. Without the filter, a one-month refresh at region
    size spent longer on tests over 60 unchanged months than on its models.
    A test's own `where` config still applies, and-ed with the period filter. -#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}{%- do conditions.append('(' ~ where ~ ')') -%}{%- endif -%}
    {%- set periods = tested_periods() -%}
    {%- if periods -%}{%- do conditions.append(periods) -%}{%- endif -%}
    {%- if conditions -%}
        {#- No alias of its own (dbt's has one): several of our tests alias their model. -#}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ')') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}


{#- The period filter for the model under test, or '' when every period is to be tested. -#}
{% macro tested_periods() -%}
    {#- requested_refresh() is none while dbt parses (not execute). -#}
    {%- set requested = requested_refresh() -%}
    {%- if not requested or flags.FULL_REFRESH -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set tested = graph.nodes.get(model.get('attached_node') or '', {}) -%}
    {%- set tested_config = tested.get('config', {}) -%}
    {%- if tested_config.get('materialized') != 'incremental' or tested_config.get('unique_key') != 'period' -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- do return("(period >= cast('" ~ requested['from'] ~ "' as date) and period <= cast('" ~ requested['to'] ~ "' as date))") -%}
{%- endmacro %}
