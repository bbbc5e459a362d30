with source as (
    select * from {{ source('raw', 'absence') }}
),

renamed as (
    select
        period as period_yyyymm,
        {{ yyyymm_to_date('period') }} as period_month,
        person_key,
        birth_year,
        legal_gender,
        franvaroorsak as absence_cause_code,
        arende_id as spell_id,
        arende_startdatum as spell_start_date,
        fran_datum as from_date,
        till_datum as to_date,
        cast(omfattning as {{ type_extract_decimal() }}) as extent_pct,
        cast(franvarotimmar as {{ type_extract_decimal() }}) as absence_hours,
        _load_id as load_id,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from renamed
