with source as (

    select * from {{ source('shop', 'customers') }}

),

renamed as (

    select
        cast(id as integer) as customer_id,
        trim(first_name) as first_name,
        trim(last_name) as last_name,
        lower(trim(email)) as email,
        upper(country) as country_code,
        city,
        cast(acquisition_channel_id as integer) as acquisition_channel_id,
        cast(signed_up_at as timestamp) as signed_up_at,
        cast(signed_up_at as date) as signup_date,
        coalesce(marketing_opt_in, false) as is_marketing_opt_in,
        _loaded_at

    from source

)

select * from renamed
