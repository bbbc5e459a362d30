with source as (
    select * from {{ source('raw', 'incidents') }}
),

renamed as (
    select
        period as period_yyyymm,
        {{ yyyymm_to_date('period') }} as period_month,
        arendenummer as case_number,
        handelsedatum as event_date,
        anmalningsdatum as report_date,
        kostnadsstalle as org_unit_code,
        typ as incident_type,
        cast(sjukfranvarodagar as integer) as lost_days,
        allvarlig as is_serious,
        person_key,
        birth_year,
        legal_gender,
        _load_id as load_id,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from renamed
