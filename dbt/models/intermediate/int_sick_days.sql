-- Distinct calendar days with sick absence per person and month (overlapping rows of
-- different causes count a day once): the frisknärvaro count. Rows lie inside their month,
-- so merging intervals per month is enough.
with sick as (
    select person_key, period, month_no, from_date, to_date
    from {{ ref('int_absence_rows') }}
    where is_sick
),

ordered as (
    select
        *,
        max(to_date) over (
            partition by person_key, period
            order by from_date, to_date
            rows between unbounded preceding and 1 preceding
        ) as previous_max_to
    from sick
),

islands as (
    select
        *,
        sum(case when previous_max_to is null or from_date > previous_max_to then 1 else 0 end) over (
            partition by person_key, period
            order by from_date, to_date
            rows between unbounded preceding and current row
        ) as island
    from ordered
),

merged as (
    select person_key, period, month_no, island, min(from_date) as first_day, max(to_date) as last_day
    from islands
    group by person_key, period, month_no, island
)

select
    person_key,
    period,
    month_no,
    cast(sum({{ dbt.datediff('first_day', 'last_day', 'day') }} + 1) as {{ type_count() }}) as sick_days
from merged
group by person_key, period, month_no
