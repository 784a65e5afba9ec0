-- One row per order line, in dollars, for product and category analysis.

with order_lines as (

    select * from {{ ref('int_order_items_enriched') }}

)

select
    order_item_id,
    order_id,
    customer_id,
    product_id,
    product_name,
    category,
    ordered_at,
    order_date,
    order_status,
    quantity,
    {{ cents_to_dollars('unit_price_cents') }} as unit_price,
    {{ cents_to_dollars('gross_cents') }} as gross_amount,
    {{ cents_to_dollars('discount_cents') }} as discount_amount,
    {{ cents_to_dollars('net_cents') }} as net_amount,
    {{ cents_to_dollars('cost_cents') }} as cost_amount,
    {{ cents_to_dollars('net_cents - cost_cents') }} as gross_margin,
    discount_cents > 0 as is_discounted

from order_lines
