{#- Schemas are the layer names themselves (staging, intermediate, marts, seeds), not
    prefixed with the target schema: auditors and the dashboard rely on `marts.kpi_values`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
