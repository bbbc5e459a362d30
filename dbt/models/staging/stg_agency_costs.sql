with source as (
    select * from {{ source('raw', 'agency_costs') }}
),

renamed as (
    select
        period as period_yyyymm,
        {{ yyyymm_to_date('period') }} as period_month,
        fakturanummer as invoice_number,
        leverantor as supplier,
        kostnadsstalle as org_unit_code,
        yrkesgrupp as agency_profession,
        cast(timmar as {{ type_extract_decimal() }}) as hours,
        cast(belopp as {{ type_extract_decimal() }}) as amount,
        fakturadatum as invoice_date,
        _load_id as load_id,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from renamed
