-- Revenue per calendar month of the order date, in dollars. Cancelled orders are left out entirely;
-- refunds count against the month the order was placed in, not the month the money went back.

with orders as (

    select * from {{ ref('fct_orders') }}
    where order_status != 'cancelled'

),

monthly as (

    select
        {{ month_start('order_date') }} as revenue_month,
        count(*) as order_count,
        count(distinct customer_id) as customer_count,
        count(*) filter (where is_first_order) as new_customer_count,
        sum(gross_amount) as gross_revenue,
        sum(discount_amount) as discounts,
        sum(amount_refunded) as refunds,
        sum(net_revenue) as net_revenue,
        sum(shipping_amount) as shipping_revenue,
        sum(cost_of_goods) as cost_of_goods
    from orders
    group by 1

)

select
    revenue_month,
    order_count,
    customer_count,
    new_customer_count,
    gross_revenue,
    discounts,
    refunds,
    net_revenue,
    shipping_revenue,
    cost_of_goods,
    cast(net_revenue / nullif(order_count, 0) as decimal(18, 2)) as average_order_value,
    round(
        (net_revenue - lag(net_revenue) over (order by revenue_month))
        / nullif(lag(net_revenue) over (order by revenue_month), 0),
        4
    ) as net_revenue_mom_growth

from monthly
