with source as (

    select * from {{ source('shop', 'orders') }}

),

renamed as (

    select
        cast(id as integer) as order_id,
        cast(user_id as integer) as customer_id,
        cast(channel_id as integer) as channel_id,
        cast(created_at as timestamp) as ordered_at,
        cast(created_at as date) as order_date,
        lower(status) as order_status,
        nullif(trim(coupon_code), '') as coupon_code,
        cast(shipping_cents as integer) as shipping_cents,
        _loaded_at

    from source

)

select * from renamed
