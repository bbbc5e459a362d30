{{ config(alias="kpi_catalogue", meta={"dagster": {"asset_key": ["marts", "kpi_catalogue"]}}) }}
-- Named mart_kpi_catalogue because the seed it publishes is kpi_catalogue; the table and the
-- Dagster asset are marts.kpi_catalogue.
-- The KPI definitions as the dashboard, the docs and auditors read them: one place
-- (seeds/kpi_catalogue.csv), published unchanged.
select
    cast(kpi_id as varchar) as kpi_id,
    cast(name_sv as varchar) as name_sv,
    cast(name_en as varchar) as name_en,
    cast(strategy_area as varchar) as strategy_area,
    cast(unit as varchar) as unit,
    cast(direction as varchar) as direction,
    cast(definition as varchar) as definition,
    cast(definition_en as varchar) as definition_en,
    cast(source as varchar) as source,
    cast(breakdowns as varchar) as breakdowns,
    cast(suppress_small_groups as boolean) as suppress_small_groups,
    cast(scale as double) as scale,
    cast(decimals as integer) as decimals,
    cast(sort_order as integer) as sort_order,
    cast(named_in_strategy as boolean) as named_in_strategy,
    cast(window_rule as varchar) as window_rule,
    cast(value_formula as varchar) as value_formula,
    cast(population_basis as varchar) as population_basis,
    cast(publish_without_facts as boolean) as publish_without_facts,
    cast(numerator_label_sv as varchar) as numerator_label_sv,
    cast(numerator_label_en as varchar) as numerator_label_en,
    cast(denominator_label_sv as varchar) as denominator_label_sv,
    cast(denominator_label_en as varchar) as denominator_label_en
from {{ ref('kpi_catalogue') }}
