-- Every order that was not cancelled must have captured exactly its order total
-- (gift card + card splits and retried charges included). Returns the orders that do not.

select
    order_id,
    order_status,
    order_total,
    amount_paid,
    amount_paid - order_total as difference

from {{ ref('fct_orders') }}
where order_status != 'cancelled'
    and amount_paid != order_total
