with source as (

    select * from {{ source('billing', 'payments') }}

),

renamed as (

    select
        cast(id as integer) as payment_id,
        cast(order_id as integer) as order_id,
        -- The processor says credit_card; everywhere downstream it is just "card".
        case lower(method)
            when 'credit_card' then 'card'
            else lower(method)
        end as payment_method,
        lower(type) as transaction_type,
        lower(status) as payment_status,
        lower(status) = 'success' as is_successful,
        cast(amount_cents as integer) as amount_cents,
        cast(created_at as timestamp) as created_at,
        _loaded_at

    from source

)

select * from renamed
