-- Absence rows with the spell arithmetic the sick-leave KPIs need. An absence row's hours
-- are spread evenly over its calendar days Från..Till, so the part on spell days 1-14 is
-- the overlap of [Från, Till] with [start, start + 13] times hours per day: no day rows.
-- A spell is long from the first month whose Till reaches day 60 (counted from the spell's
-- first day, even before the first loaded month).
with absence as (
    select
        a.*,
        c.is_sick,
        c.is_work_related as cause_is_work_related,
        {{ month_no('a.period_month') }} as month_no,
        {{ dbt.datediff('a.from_date', 'a.to_date', 'day') }} + 1 as calendar_days,
        {{ dbt.datediff('a.spell_start_date', 'a.to_date', 'day') }} + 1 as spell_days_at_to
    from {{ ref('stg_absence') }} a
    join {{ ref('absence_causes') }} c
        on c.absence_cause_code = a.absence_cause_code
),

work_injuries as (
    select person_key, event_date
    from {{ ref('stg_incidents') }}
    where incident_type in ('OLYCKSFALL', 'ARBETSSJUKDOM')
      and person_key is not null
),

with_spell as (
    select
        a.*,
        a.absence_hours / a.calendar_days as hours_per_day,
        min(case when a.spell_days_at_to >= 60 then a.month_no end)
            over (partition by a.person_key, a.spell_id) as long_from_month_no,
        greatest(
            0,
            {{ dbt.datediff(
                'greatest(a.from_date, a.spell_start_date)',
                'least(a.to_date, ' ~ dbt.dateadd('day', 13, 'a.spell_start_date') ~ ')',
                'day') }} + 1
        ) as days_1_to_14
    from absence a
)

select
    s.person_key,
    s.period_month as period,
    s.month_no,
    s.absence_cause_code,
    s.spell_id,
    s.spell_start_date,
    s.from_date,
    s.to_date,
    s.extent_pct,
    s.absence_hours,
    s.is_sick,
    s.calendar_days,
    s.hours_per_day,
    s.days_1_to_14,
    -- One quotient per row, rounded once to the fact scale (hours_per_day is for reading).
    cast(s.absence_hours * s.days_1_to_14 / s.calendar_days as {{ type_fact() }}) as hours_days_1_to_14,
    s.long_from_month_no,
    (
        s.cause_is_work_related
        or exists (
            select 1 from work_injuries w
            where w.person_key = s.person_key
              and s.spell_start_date >= w.event_date
              and s.spell_start_date <= {{ dbt.dateadd('day', "cast(" ~ param('work_injury_link_days') ~ " as integer)", 'w.event_date') }}
        )
    ) as is_work_related
from with_spell s
