with source as (
    select * from {{ source('raw', 'employees') }}
),

renamed as (
    select
        period as period_yyyymm,
        {{ yyyymm_to_date('period') }} as period_month,
        person_key,
        birth_year,
        -- The register's Kön wins; the legal gender from the personnummer fills the gaps.
        coalesce(kon, legal_gender) as gender,
        anstallningsnummer as employee_number,
        kostnadsstalle as org_unit_code,
        yrkeskod as profession_code,
        anstallningsform as employment_form,
        cast(sysselsattningsgrad as {{ type_extract_decimal() }}) as employment_rate_pct,
        cast(ordinarie_timmar as {{ type_extract_decimal() }}) as ordinary_hours,
        cast(manadslon as {{ type_extract_decimal() }}) as monthly_salary,
        chef as is_manager,
        anstallningsdatum as employment_start_date,
        _load_id as load_id,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from renamed
