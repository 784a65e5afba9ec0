-- Does what we charged match what the order says it costs? One row per order, with a status finance can filter on.

with orders as (

    select * from {{ ref('fct_orders') }}

),

order_payments as (

    select * from {{ ref('int_order_payments') }}

)

select
    orders.order_id,
    orders.order_date,
    orders.order_status,
    orders.payment_method,
    orders.order_total,
    orders.amount_paid,
    orders.amount_refunded,
    orders.amount_paid - orders.amount_refunded as net_cash_collected,
    orders.amount_paid - orders.order_total as payment_difference,
    coalesce(order_payments.transaction_count, 0) as transaction_count,
    coalesce(order_payments.failed_charge_count, 0) as failed_charge_count,
    case
        when orders.order_status = 'cancelled' then 'voided'
        when orders.amount_paid = 0 then 'unpaid'
        when orders.amount_paid != orders.order_total then 'mismatch'
        when orders.order_status = 'returned' then 'refunded'
        when orders.amount_refunded > 0 then 'partially_refunded'
        else 'matched'
    end as reconciliation_status

from orders
left join order_payments
    on orders.order_id = order_payments.order_id
