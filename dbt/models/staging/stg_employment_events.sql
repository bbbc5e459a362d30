with source as (
    select * from {{ source('raw', 'employment_events') }}
),

renamed as (
    select
        period as period_yyyymm,
        {{ yyyymm_to_date('period') }} as period_month,
        handelsedatum as event_date,
        person_key,
        birth_year,
        legal_gender,
        handelse as event_type,
        anstallningsform as employment_form,
        kostnadsstalle as org_unit_code,
        orsak as exit_reason_code,
        samtal_genomfort as interview_held,
        _load_id as load_id,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from renamed
