-- One row per customer (including those who never ordered) with their order history and status.

with customers as (

    select * from {{ ref('stg_shop__customers') }}

),

order_history as (

    select * from {{ ref('int_customer_order_history') }}

),

channels as (

    select * from {{ ref('stg_marketing__channels') }}

),

-- The data ends on as_of_date; recency is measured from there, not from today.
as_of as (

    select cast('{{ var("as_of_date") }}' as date) as as_of_date

),

final as (

    select
        customers.customer_id,
        customers.first_name,
        customers.last_name,
        customers.first_name || ' ' || customers.last_name as full_name,
        customers.email,
        customers.country_code,
        customers.city,
        customers.signup_date,
        customers.is_marketing_opt_in,
        customers.acquisition_channel_id,
        channels.channel_name as acquisition_channel_name,
        cast(order_history.first_ordered_at as date) as first_order_date,
        cast(order_history.most_recent_ordered_at as date) as most_recent_order_date,
        coalesce(order_history.number_of_orders, 0) as number_of_orders,
        coalesce(order_history.number_of_returned_orders, 0) as number_of_returned_orders,
        {{ cents_to_dollars('coalesce(order_history.lifetime_net_revenue_cents, 0)') }} as lifetime_net_revenue,
        {{ days_between('order_history.most_recent_ordered_at', 'as_of.as_of_date') }} as days_since_last_order,
        case
            when order_history.customer_id is null then 'prospect'
            when {{ days_between('order_history.most_recent_ordered_at', 'as_of.as_of_date') }}
                <= {{ var('active_customer_window_days') }} then 'active'
            else 'lapsed'
        end as customer_status

    from customers
    left join order_history
        on customers.customer_id = order_history.customer_id
    left join channels
        on customers.acquisition_channel_id = channels.channel_id
    cross join as_of

)

select * from final
