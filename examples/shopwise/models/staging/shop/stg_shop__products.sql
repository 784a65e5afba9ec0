with source as (

    select * from {{ source('shop', 'products') }}

),

renamed as (

    select
        cast(id as integer) as product_id,
        sku,
        name as product_name,
        category,
        cast(price_cents as integer) as unit_price_cents,
        cast(cost_cents as integer) as unit_cost_cents,
        is_active,
        cast(launched_at as timestamp) as launched_at,
        cast(updated_at as timestamp) as updated_at,
        _loaded_at

    from source

)

select * from renamed
