{{ config(materialized="incremental", incremental_strategy="delete+insert", unique_key="period", on_schema_change="fail") }}
-- The cells complementary suppression works on: every figure of int_kpi_windowed (by kpi_id,
-- e.g. exit_turnover_pct) with its parent unit and primary suppression. A person-based figure
-- about suppression_max_n or fewer people (survey: fewer than survey_min_respondents) is
-- small; only a cell with a figure can hide another (suppressing an empty one protects
-- nothing).
with figures as (
    select * from {{ ref('int_kpi_windowed') }}
    where {{ in_refreshed_periods('period') }}
),

catalogue as (
    select * from {{ ref('kpi_catalogue') }}
),

units as (
    select period_month as period, org_unit_code, parent_code from {{ ref('stg_org_units') }}
)

select
    f.*,
    u.parent_code,
    c.suppress_small_groups,
    (f.numerator is not null or f.denominator is not null) as has_figure,
    case
        when not c.suppress_small_groups then false
        when f.numerator is null and f.denominator is null then false
        when c.population_basis = 'respondents'
            then coalesce(f.population_n, 0) < {{ param('survey_min_respondents') }}
        else coalesce(f.population_n, 0) <= {{ param('suppression_max_n') }}
    end as is_small
from figures f
join catalogue c
    on c.kpi_id = f.kpi_id
join units u
    on u.period = f.period
   and u.org_unit_code = f.org_unit_code
{{ order_by_period() }}
