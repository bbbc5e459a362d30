with source as (
    select * from {{ source('raw', 'org_units') }}
),

renamed as (
    select
        period as period_yyyymm,
        {{ yyyymm_to_date('period') }} as period_month,
        kostnadsstalle as org_unit_code,
        benamning as org_unit_name,
        overordnad as parent_code,
        cast(niva as integer) as org_level,
        _load_id as load_id,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from renamed
