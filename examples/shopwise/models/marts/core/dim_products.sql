{{ config(materialized='table') }}

-- One row per product with its current price and cost (in dollars) and lifetime sales.
-- Contracted: column names and types are enforced (see _core__models.yml).

with products as (

    select * from {{ ref('stg_shop__products') }}

),

sales as (

    select
        product_id,
        sum(quantity) as units_sold,
        count(distinct order_id) as orders_containing,
        min(order_date) as first_sold_on,
        max(order_date) as last_sold_on
    from {{ ref('int_order_items_enriched') }}
    where order_status != 'cancelled'
    group by product_id

)

select
    cast(products.product_id as integer) as product_id,
    cast(products.sku as varchar) as sku,
    cast(products.product_name as varchar) as product_name,
    cast(products.category as varchar) as category,
    {{ cents_to_dollars('products.unit_price_cents') }} as unit_price,
    {{ cents_to_dollars('products.unit_cost_cents') }} as unit_cost,
    cast(
        round((products.unit_price_cents - products.unit_cost_cents) / products.unit_price_cents, 4)
        as decimal(6, 4)
    ) as margin_rate,
    cast(products.is_active as boolean) as is_active,
    cast(products.launched_at as date) as launched_on,
    cast(coalesce(sales.units_sold, 0) as bigint) as units_sold,
    cast(coalesce(sales.orders_containing, 0) as bigint) as orders_containing,
    cast(sales.first_sold_on as date) as first_sold_on,
    cast(sales.last_sold_on as date) as last_sold_on

from products
left join sales
    on products.product_id = sales.product_id
