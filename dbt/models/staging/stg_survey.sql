with source as (
    select * from {{ source('raw', 'survey') }}
),

renamed as (
    select
        period as period_yyyymm,
        {{ yyyymm_to_date('period') }} as period_month,
        enkat as survey_id,
        kostnadsstalle as org_unit_code,
        fraga as question_code,
        cast(inbjudna as integer) as invited,
        cast(svarande as integer) as respondents,
        cast(svar_1 as integer) as answers_1,
        cast(svar_2 as integer) as answers_2,
        cast(svar_3 as integer) as answers_3,
        cast(svar_4 as integer) as answers_4,
        cast(svar_5 as integer) as answers_5,
        _load_id as load_id,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from renamed
