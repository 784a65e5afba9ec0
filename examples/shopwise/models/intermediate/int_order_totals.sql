-- Merchandise totals per order, in cents: one row per order that has at least one line.

with order_lines as (

    select * from {{ ref('int_order_items_enriched') }}

)

select
    order_id,
    count(*) as line_count,
    sum(quantity) as item_count,
    sum(gross_cents) as gross_cents,
    sum(discount_cents) as discount_cents,
    sum(net_cents) as subtotal_cents,
    sum(cost_cents) as cost_cents

from order_lines
group by order_id
