-- The line fact and the order fact must agree: the lines' net amounts add up to the order's subtotal.
-- Returns the orders where they do not.

with lines as (

    select
        order_id,
        sum(net_amount) as lines_net_amount
    from {{ ref('fct_order_items') }}
    group by order_id

)

select
    orders.order_id,
    orders.subtotal_amount,
    lines.lines_net_amount

from {{ ref('fct_orders') }} as orders
left join lines
    on orders.order_id = lines.order_id
where coalesce(lines.lines_net_amount, 0) != orders.subtotal_amount
