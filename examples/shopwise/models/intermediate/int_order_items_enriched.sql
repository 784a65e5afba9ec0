-- Order lines with their product and order attributes, and every line amount in cents.
-- Line amounts use the price stored on the line (the price when the order was placed), never the current
-- catalogue price; cost uses the current unit cost because the catalogue keeps no cost history.

with order_items as (

    select * from {{ ref('stg_shop__order_items') }}

),

products as (

    select * from {{ ref('stg_shop__products') }}

),

orders as (

    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        order_status
    from {{ ref('stg_shop__orders') }}

)

select
    order_items.order_item_id,
    order_items.order_id,
    orders.customer_id,
    orders.ordered_at,
    orders.order_date,
    orders.order_status,
    order_items.product_id,
    products.sku,
    products.product_name,
    products.category,
    order_items.quantity,
    order_items.unit_price_cents,
    order_items.quantity * order_items.unit_price_cents as gross_cents,
    order_items.discount_cents,
    order_items.quantity * order_items.unit_price_cents - order_items.discount_cents as net_cents,
    order_items.quantity * products.unit_cost_cents as cost_cents

from order_items
inner join orders
    on order_items.order_id = orders.order_id
inner join products
    on order_items.product_id = products.product_id
