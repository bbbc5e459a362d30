{#- Seeds on Spark. dbt-spark's own loader hands every value to the session cursor as a
    '%s' binding without escaping: an apostrophe in a name ("Children's nurse") breaks the
    statement and an empty cell arrives as the four letters 'None', so an empty org_unit_code
    or target_window of a target never matched again. Here each value is written as an
    escaped SQL literal, an empty cell as null, and cast to the seed's column type. dbt
    looks in the root project first when it dispatches load_csv_rows, so this replaces
    dbt-spark's version; DuckDB keeps dbt's own loader. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert {% if loop.first %}overwrite{% else %}into{% endif %} {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    cast({{ hr_kpi.spark_seed_literal(row[loop.index0]) }} as {{ type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},
            {% endif -%}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{#- A seed cell as a Spark SQL string literal: backslash escapes (Spark's default parser
    reads \' and \\), null for an empty cell. -#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- else -%}
        '{{ (value | string).replace("\\", "\\\\").replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
