{{
    config(
        materialized='incremental',
        unique_key='order_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- One row per order with merchandise, shipping, payment and refund amounts in dollars.
-- Incremental: a run re-processes orders that were placed, paid or refunded since the last run (minus a lookback),
-- because refunds arrive days or weeks after the order was placed.

with orders as (

    select * from {{ ref('stg_shop__orders') }}

),

order_totals as (

    select * from {{ ref('int_order_totals') }}

),

order_payments as (

    select * from {{ ref('int_order_payments') }}

),

channels as (

    select * from {{ ref('stg_marketing__channels') }}

),

joined as (

    select
        orders.order_id,
        orders.customer_id,
        orders.channel_id,
        channels.channel_name,
        orders.ordered_at,
        orders.order_date,
        orders.order_status,
        orders.coupon_code,
        -- Computed over all orders before the incremental filter below, so the sequence stays correct.
        row_number() over (
            partition by orders.customer_id
            order by orders.ordered_at, orders.order_id
        ) as customer_order_number,
        coalesce(order_totals.line_count, 0) as line_count,
        coalesce(order_totals.item_count, 0) as item_count,
        {{ cents_to_dollars('coalesce(order_totals.gross_cents, 0)') }} as gross_amount,
        {{ cents_to_dollars('coalesce(order_totals.discount_cents, 0)') }} as discount_amount,
        {{ cents_to_dollars('coalesce(order_totals.subtotal_cents, 0)') }} as subtotal_amount,
        {{ cents_to_dollars('orders.shipping_cents') }} as shipping_amount,
        {{ cents_to_dollars('coalesce(order_totals.subtotal_cents, 0) + orders.shipping_cents') }} as order_total,
        {{ cents_to_dollars('coalesce(order_payments.captured_cents, 0)') }} as amount_paid,
        {{ cents_to_dollars('coalesce(order_payments.refunded_cents, 0)') }} as amount_refunded,
        case
            when orders.order_status = 'cancelled' then {{ cents_to_dollars('0') }}
            else {{ cents_to_dollars('coalesce(order_totals.subtotal_cents, 0) - coalesce(order_payments.refunded_cents, 0)') }}
        end as net_revenue,
        {{ cents_to_dollars('coalesce(order_totals.cost_cents, 0)') }} as cost_of_goods,
        order_payments.primary_payment_method as payment_method,
        coalesce(order_payments.is_split_payment, false) as is_split_payment,
        order_payments.first_captured_at as paid_at,
        greatest(orders.ordered_at, coalesce(order_payments.last_transaction_at, orders.ordered_at)) as updated_at

    from orders
    left join order_totals
        on orders.order_id = order_totals.order_id
    left join order_payments
        on orders.order_id = order_payments.order_id
    left join channels
        on orders.channel_id = channels.channel_id

)

select
    *,
    customer_order_number = 1 as is_first_order

from joined

{% if is_incremental() %}
where updated_at >= (
    select max(updated_at) - interval '{{ var("fct_orders_lookback_days", 3) }} days'
    from {{ this }}
)
{% endif %}
