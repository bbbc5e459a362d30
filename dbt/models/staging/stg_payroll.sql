with source as (
    select * from {{ source('raw', 'payroll') }}
),

renamed as (
    select
        period as period_yyyymm,
        {{ yyyymm_to_date('period') }} as period_month,
        person_key,
        birth_year,
        legal_gender,
        kostnadsstalle as org_unit_code,
        loneart as pay_type_code,
        cast(antal as {{ type_extract_decimal() }}) as quantity,
        cast(belopp as {{ type_extract_decimal() }}) as amount,
        avser_period as relates_to_yyyymm,
        {{ yyyymm_to_date('avser_period') }} as relates_to_month,
        _load_id as load_id,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from renamed
