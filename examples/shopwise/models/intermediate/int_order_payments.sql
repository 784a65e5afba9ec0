-- Payment transactions rolled up to one row per order that has any transaction.
-- Only successful transactions move money; failed charges are counted but never summed.

with payments as (

    select * from {{ ref('stg_billing__payments') }}

),

ranked_charges as (

    select
        order_id,
        payment_method,
        row_number() over (
            partition by order_id
            order by amount_cents desc, payment_id
        ) as charge_rank
    from payments
    where transaction_type = 'charge' and is_successful

),

-- The method that carried the most money: a gift card topped up by card is a card payment when the card paid more.
primary_methods as (

    select
        order_id,
        payment_method as primary_payment_method
    from ranked_charges
    where charge_rank = 1

),

rolled_up as (

    select
        order_id,
        count(*) as transaction_count,
        count(*) filter (where transaction_type = 'charge' and not is_successful) as failed_charge_count,
        coalesce(sum(amount_cents) filter (where transaction_type = 'charge' and is_successful), 0) as captured_cents,
        coalesce(sum(amount_cents) filter (where transaction_type = 'refund' and is_successful), 0) as refunded_cents,
        min(created_at) filter (where transaction_type = 'charge' and is_successful) as first_captured_at,
        max(created_at) filter (where transaction_type = 'refund' and is_successful) as last_refunded_at,
        max(created_at) as last_transaction_at,
        count(distinct payment_method) filter (where transaction_type = 'charge' and is_successful) > 1 as is_split_payment
    from payments
    group by order_id

)

select
    rolled_up.order_id,
    rolled_up.transaction_count,
    rolled_up.failed_charge_count,
    rolled_up.captured_cents,
    rolled_up.refunded_cents,
    rolled_up.first_captured_at,
    rolled_up.last_refunded_at,
    rolled_up.last_transaction_at,
    primary_methods.primary_payment_method,
    rolled_up.is_split_payment

from rolled_up
left join primary_methods
    on rolled_up.order_id = primary_methods.order_id
