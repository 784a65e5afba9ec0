-- Marketing channel performance per month: orders and net revenue by the order's (last-touch) channel,
-- new customers by their acquisition (first-touch) channel, and ad spend for paid channels.

with channels as (

    select * from {{ ref('stg_marketing__channels') }}

),

order_stats as (

    select
        channel_id,
        {{ month_start('order_date') }} as activity_month,
        count(*) as order_count,
        sum(net_revenue) as net_revenue
    from {{ ref('fct_orders') }}
    where order_status != 'cancelled'
    group by 1, 2

),

new_customer_stats as (

    select
        acquisition_channel_id as channel_id,
        {{ month_start('first_order_date') }} as activity_month,
        count(*) as new_customer_count
    from {{ ref('dim_customers') }}
    where first_order_date is not null
    group by 1, 2

),

spend_stats as (

    select
        channel_id,
        spend_month as activity_month,
        spend_cents,
        clicks
    from {{ ref('stg_marketing__ad_spend') }}

),

channel_months as (

    select channel_id, activity_month from order_stats
    union
    select channel_id, activity_month from new_customer_stats
    union
    select channel_id, activity_month from spend_stats

),

combined as (

    select
        channel_months.channel_id,
        channel_months.activity_month,
        coalesce(order_stats.order_count, 0) as order_count,
        coalesce(order_stats.net_revenue, 0) as net_revenue,
        coalesce(new_customer_stats.new_customer_count, 0) as new_customer_count,
        {{ cents_to_dollars('coalesce(spend_stats.spend_cents, 0)') }} as ad_spend,
        coalesce(spend_stats.clicks, 0) as clicks
    from channel_months
    left join order_stats
        on channel_months.channel_id = order_stats.channel_id
        and channel_months.activity_month = order_stats.activity_month
    left join new_customer_stats
        on channel_months.channel_id = new_customer_stats.channel_id
        and channel_months.activity_month = new_customer_stats.activity_month
    left join spend_stats
        on channel_months.channel_id = spend_stats.channel_id
        and channel_months.activity_month = spend_stats.activity_month

)

select
    cast(combined.channel_id as varchar) || '-' || strftime(combined.activity_month, '%Y-%m') as channel_month_id,
    combined.channel_id,
    channels.channel_name,
    channels.channel_group,
    combined.activity_month,
    combined.order_count,
    combined.net_revenue,
    combined.new_customer_count,
    combined.ad_spend,
    combined.clicks,
    case
        when combined.new_customer_count > 0 and combined.ad_spend > 0
            then cast(combined.ad_spend / combined.new_customer_count as decimal(18, 2))
    end as cost_per_acquisition,
    case
        when combined.ad_spend > 0 then round(combined.net_revenue / combined.ad_spend, 2)
    end as return_on_ad_spend

from combined
inner join channels
    on combined.channel_id = channels.channel_id
