-- Customer lifetime value (LTV): net revenue to date per customer who has ordered at least once,
-- with their acquisition cohort and a value tier the CRM team uses for targeting.

with customers as (

    select * from {{ ref('dim_customers') }}
    where number_of_orders > 0

),

first_orders as (

    select
        customer_id,
        net_revenue as first_order_value,
        coupon_code as first_order_coupon_code
    from {{ ref('fct_orders') }}
    where is_first_order

)

select
    customers.customer_id,
    customers.acquisition_channel_id,
    customers.acquisition_channel_name,
    {{ month_start('customers.first_order_date') }} as cohort_month,
    customers.first_order_date,
    customers.most_recent_order_date,
    customers.number_of_orders,
    customers.lifetime_net_revenue as lifetime_value,
    cast(customers.lifetime_net_revenue / customers.number_of_orders as decimal(18, 2)) as average_order_value,
    first_orders.first_order_value,
    first_orders.first_order_coupon_code,
    {{ days_between('customers.first_order_date', 'customers.most_recent_order_date') }} as tenure_days,
    case
        when customers.lifetime_net_revenue >= 5000 then 'high'
        when customers.lifetime_net_revenue >= 1500 then 'medium'
        else 'low'
    end as ltv_tier,
    customers.customer_status

from customers
left join first_orders
    on customers.customer_id = first_orders.customer_id
