with orders as (

    select * from {{ ref('stg_shop__orders') }}

),

order_totals as (

    select * from {{ ref('int_order_totals') }}

),

order_payments as (

    select * from {{ ref('int_order_payments') }}

),

valid_orders as (

    select
        orders.customer_id,
        orders.order_id,
        orders.ordered_at,
        orders.order_status,
        order_totals.subtotal_cents,
        coalesce(order_payments.refunded_cents, 0) as refunded_cents
    from orders
    inner join order_totals
        on orders.order_id = order_totals.order_id
    left join order_payments
        on orders.order_id = order_payments.order_id
    where orders.order_status != 'cancelled'

)

select
    customer_id,
    min(ordered_at) as first_ordered_at,
    max(ordered_at) as most_recent_ordered_at,
    count(*) as number_of_orders,
    count(*) filter (where order_status = 'returned') as number_of_returned_orders,
    sum(subtotal_cents) as lifetime_subtotal_cents,
    sum(refunded_cents) as lifetime_refunded_cents,
    sum(subtotal_cents - refunded_cents) as lifetime_net_revenue_cents

from valid_orders
group by customer_id
