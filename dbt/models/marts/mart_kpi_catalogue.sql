{{ config(alias="kpi_catalogue", meta={"dagster": {"asset_key": ["marts", "kpi_catalogue"]}}) }}
-- Named mart_kpi_catalogue because the seed it publishes is kpi_catalogue; the table and the
-- Dagster asset are marts.kpi_catalogue.
-- The KPI definitions as the dashboard, the docs and auditors read them: one place
-- (seeds/kpi_catalogue.csv), published unchanged: exit_turnover_pct as every other kpi_id.
select
    cast(kpi_id as {{ dbt.type_string() }}) as kpi_id,
    cast(name_sv as {{ dbt.type_string() }}) as name_sv,
    cast(name_en as {{ dbt.type_string() }}) as name_en,
    cast(strategy_area as {{ dbt.type_string() }}) as strategy_area,
    cast(unit as {{ dbt.type_string() }}) as unit,
    cast(direction as {{ dbt.type_string() }}) as direction,
    cast(definition as {{ dbt.type_string() }}) as definition,
    cast(definition_en as {{ dbt.type_string() }}) as definition_en,
    cast(source as {{ dbt.type_string() }}) as source,
    cast(breakdowns as {{ dbt.type_string() }}) as breakdowns,
    cast(suppress_small_groups as boolean) as suppress_small_groups,
    cast(scale as {{ type_double() }}) as scale,
    cast(decimals as integer) as decimals,
    cast(sort_order as integer) as sort_order,
    cast(named_in_strategy as boolean) as named_in_strategy,
    cast(window_rule as {{ dbt.type_string() }}) as window_rule,
    cast(value_formula as {{ dbt.type_string() }}) as value_formula,
    cast(population_basis as {{ dbt.type_string() }}) as population_basis,
    cast(publish_without_facts as boolean) as publish_without_facts,
    cast(name_fi as {{ dbt.type_string() }}) as name_fi,
    cast(numerator_label_sv as {{ dbt.type_string() }}) as numerator_label_sv,
    cast(numerator_label_en as {{ dbt.type_string() }}) as numerator_label_en,
    cast(denominator_label_sv as {{ dbt.type_string() }}) as denominator_label_sv,
    cast(denominator_label_en as {{ dbt.type_string() }}) as denominator_label_en,
    cast(definition_fi as {{ dbt.type_string() }}) as definition_fi,
    cast(numerator_label_fi as {{ dbt.type_string() }}) as numerator_label_fi,
    cast(denominator_label_fi as {{ dbt.type_string() }}) as denominator_label_fi
from {{ ref('kpi_catalogue') }}
-- Only the KPIs of the organisation profile (HRKPI_PROFILE): SEK figures are not published
-- for a Finnish county, nor KT's indicators for a Swedish region.
where {{ in_profile() }}
