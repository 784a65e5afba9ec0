with source as (

    select * from {{ source('marketing', 'channels') }}

),

renamed as (

    select
        cast(id as integer) as channel_id,
        name as channel_name,
        channel_group,
        is_paid,
        cast(launched_on as date) as launched_on

    from source

)

select * from renamed
