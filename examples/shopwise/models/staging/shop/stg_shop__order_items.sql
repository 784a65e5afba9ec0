with source as (

    select * from {{ source('shop', 'order_items') }}

),

renamed as (

    select
        cast(id as integer) as order_item_id,
        cast(order_id as integer) as order_id,
        cast(product_id as integer) as product_id,
        cast(quantity as integer) as quantity,
        cast(unit_price_cents as integer) as unit_price_cents,
        cast(coalesce(discount_cents, 0) as integer) as discount_cents

    from source

)

select * from renamed
