-- Incident reports in the month of the event (Händelsedatum), not of the report.
select
    case_number,
    cast({{ dbt.date_trunc('month', 'event_date') }} as date) as period,
    {{ month_no('event_date') }} as month_no,
    event_date,
    report_date,
    org_unit_code,
    incident_type,
    coalesce(lost_days, 0) as lost_days,
    is_serious,
    person_key
from {{ ref('stg_incidents') }}
