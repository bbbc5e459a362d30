-- The loaded months: every month with an org snapshot or a register. Windows are built
-- from calendar arithmetic on month_no, and counted against these months only, so a window
-- before the first loaded month is shorter and nothing is extrapolated.
--
-- Completeness (issue 15): a month is published only when every extract that
-- seeds/extract_requirements.csv marks needed_every_month has been delivered for it, a file
-- with only its header included (raw.deliveries: a month without exits is a delivery of none).
-- The newest months are cut at the last complete one, so a half-delivered month is kept in raw
-- (audit.period_completeness shows what it lacks) but never published as zeros. Earlier months
-- with only the register and the organisation stay: they are the history the 12-month windows
-- count on.
with loaded as (
    select period_month from {{ ref('stg_org_units') }}
    union
    select period_month from {{ ref('stg_employees') }}
),

complete as (
    select d.period as period_yyyymm
    from {{ source('raw', 'deliveries') }} d
    join {{ ref('extract_requirements') }} r on r.extract = d.extract
    where r.needed_every_month
    group by d.period
    having count(distinct d.extract) = (select count(*) from {{ ref('extract_requirements') }} where needed_every_month)
),

months as (
    select
        period_month as period,
        cast(extract(year from period_month) as integer) as year,
        {{ month_no('period_month') }} as month_no
    from loaded
    where period_month <= (select max({{ yyyymm_to_date('period_yyyymm') }}) from complete)
)

select
    m.period,
    m.year,
    m.month_no,
    {{ dbt.last_day('m.period', 'month') }} as month_end,
    (select count(*) from months r
      where r.month_no between m.month_no - 11 and m.month_no) as loaded_months_rolling_12m,
    (select count(*) from months y
      where y.year = m.year and y.month_no <= m.month_no) as loaded_months_year,
    exists (select 1 from months b where b.month_no = m.month_no - 12) as has_month_12_earlier
from months m
