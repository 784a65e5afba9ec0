{% snapshot products_snapshot %}

{{
    config(
        target_schema='snapshots',
        unique_key='product_id',
        strategy='timestamp',
        updated_at='updated_at',
        invalidate_hard_deletes=True
    )
}}

-- Price and cost history of the catalogue: the storefront only keeps the current row, so each nightly
-- snapshot closes the old version (dbt_valid_to) whenever updated_at moves.

select
    id as product_id,
    sku,
    name as product_name,
    category,
    price_cents,
    cost_cents,
    is_active,
    updated_at

from {{ source('shop', 'products') }}

{% endsnapshot %}
