with source as (

    select * from {{ source('marketing', 'ad_spend') }}

),

renamed as (

    select
        -- The sheet has no id: channel and month identify a row.
        cast(channel_id as varchar) || '-' || strftime(cast(spend_month as date), '%Y-%m') as ad_spend_id,
        cast(channel_id as integer) as channel_id,
        cast(spend_month as date) as spend_month,
        cast(spend_cents as integer) as spend_cents,
        cast(clicks as integer) as clicks

    from source

)

select * from renamed
