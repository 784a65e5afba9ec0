-- Weekly refunds per product, to investigate refund spikes (e.g. the March 2025 earbuds defect).
-- A refund is matched to a product when it equals the net amount of exactly one of the order's lines;
-- full-order refunds (returns, cancellations) are spread over all lines of the order.
-- Compile with `dbt compile -s refund_spike_by_product` and run the SQL in the warehouse.

with refunds as (

    select
        order_id,
        amount_cents,
        created_at
    from {{ ref('stg_billing__payments') }}
    where transaction_type = 'refund' and is_successful

),

lines as (

    select
        order_id,
        product_id,
        product_name,
        net_cents
    from {{ ref('int_order_items_enriched') }}

),

matched as (

    -- partial refunds: the refunded amount equals one line's net amount
    select refunds.created_at, lines.product_id, lines.product_name, refunds.amount_cents as refunded_cents
    from refunds
    inner join lines
        on refunds.order_id = lines.order_id
        and refunds.amount_cents = lines.net_cents

    union all

    -- whole-order refunds: every line of the order
    select refunds.created_at, lines.product_id, lines.product_name, lines.net_cents as refunded_cents
    from refunds
    inner join lines
        on refunds.order_id = lines.order_id
    where not exists (
        select 1 from lines as single_line
        where single_line.order_id = refunds.order_id
            and single_line.net_cents = refunds.amount_cents
    )

)

select
    cast(date_trunc('week', created_at) as date) as refund_week,
    product_id,
    product_name,
    count(*) as refund_count,
    {{ cents_to_dollars('sum(refunded_cents)') }} as refunded_amount

from matched
group by 1, 2, 3
order by refund_count desc, refund_week
