// Word lists the generator draws names from: business domains, source systems and their tables, column
// vocabularies, seeds, dashboards and people. Plain data, no logic.

export const DOMAINS = [
  'orders', 'customers', 'payments', 'inventory', 'marketing', 'products', 'shipping',
  'finance', 'support', 'subscriptions', 'web_analytics', 'hr', 'sales',
] as const;
export type Domain = (typeof DOMAINS)[number];

export interface SourceSystem {
  name: string;
  title: string;
  domain: Domain;
  loader: string;
  tables: string[];
  /** Raw foreign keys are named `customer` instead of `customer_id` in some APIs (Stripe). */
  bareForeignKeys?: boolean;
}

export const SOURCE_SYSTEMS: SourceSystem[] = [
  { name: 'shopify', title: 'Shopify', domain: 'orders', loader: 'fivetran', tables: ['orders', 'order_lines', 'customers', 'products', 'product_variants', 'refunds', 'fulfillments', 'discounts', 'inventory_levels', 'locations', 'transactions', 'abandoned_checkouts'] },
  { name: 'stripe', title: 'Stripe', domain: 'payments', loader: 'fivetran', bareForeignKeys: true, tables: ['charges', 'refunds', 'customers', 'invoices', 'invoice_line_items', 'subscriptions', 'payouts', 'balance_transactions', 'disputes', 'payment_intents', 'prices', 'coupons'] },
  { name: 'salesforce', title: 'Salesforce', domain: 'sales', loader: 'fivetran', tables: ['accounts', 'contacts', 'leads', 'opportunities', 'opportunity_line_items', 'users', 'tasks', 'events', 'campaigns', 'cases'] },
  { name: 'hubspot', title: 'HubSpot', domain: 'marketing', loader: 'airbyte', tables: ['contacts', 'companies', 'deals', 'email_events', 'email_campaigns', 'forms', 'form_submissions', 'owners', 'engagements'] },
  { name: 'zendesk', title: 'Zendesk', domain: 'support', loader: 'fivetran', tables: ['tickets', 'ticket_comments', 'users', 'organizations', 'groups', 'satisfaction_ratings', 'ticket_metrics'] },
  { name: 'netsuite', title: 'NetSuite', domain: 'finance', loader: 'fivetran', tables: ['transactions', 'transaction_lines', 'accounts', 'vendors', 'subsidiaries', 'currencies', 'departments', 'items', 'journal_entries'] },
  { name: 'google_ads', title: 'Google Ads', domain: 'marketing', loader: 'fivetran', tables: ['campaigns', 'ad_groups', 'ads', 'keywords', 'campaign_stats', 'ad_stats'] },
  { name: 'facebook_ads', title: 'Facebook Ads', domain: 'marketing', loader: 'fivetran', tables: ['campaigns', 'ad_sets', 'ads', 'ad_insights', 'creatives'] },
  { name: 'segment', title: 'Segment', domain: 'web_analytics', loader: 'segment', tables: ['pages', 'tracks', 'identifies', 'users', 'sessions', 'screens'] },
  { name: 'app_db', title: 'the application database', domain: 'orders', loader: 'stitch', tables: ['users', 'accounts', 'orders', 'order_items', 'carts', 'cart_items', 'addresses', 'products', 'promotions', 'reviews', 'wishlists'] },
  { name: 'wms', title: 'the warehouse management system', domain: 'inventory', loader: 'airbyte', tables: ['warehouses', 'stock_movements', 'inventory_snapshots', 'purchase_orders', 'purchase_order_lines', 'suppliers', 'bins', 'shipments'] },
  { name: 'shipstation', title: 'ShipStation', domain: 'shipping', loader: 'airbyte', tables: ['shipments', 'carriers', 'packages', 'tracking_events', 'rates'] },
  { name: 'greenhouse', title: 'Greenhouse', domain: 'hr', loader: 'fivetran', tables: ['candidates', 'applications', 'jobs', 'offers', 'interviews', 'departments'] },
  { name: 'workday', title: 'Workday', domain: 'hr', loader: 'fivetran', tables: ['workers', 'positions', 'organizations', 'compensation', 'time_off'] },
  { name: 'recharge', title: 'Recharge', domain: 'subscriptions', loader: 'fivetran', tables: ['subscriptions', 'charges', 'customers', 'addresses', 'discounts', 'orders'] },
  { name: 'intercom', title: 'Intercom', domain: 'support', loader: 'stitch', tables: ['conversations', 'conversation_parts', 'contacts', 'teams', 'admins'] },
  { name: 'klaviyo', title: 'Klaviyo', domain: 'marketing', loader: 'fivetran', tables: ['campaigns', 'flows', 'events', 'lists', 'profiles', 'metrics'] },
  { name: 'amplitude', title: 'Amplitude', domain: 'web_analytics', loader: 'fivetran', tables: ['events', 'users', 'sessions'] },
  { name: 'quickbooks', title: 'QuickBooks', domain: 'finance', loader: 'fivetran', tables: ['invoices', 'bills', 'payments', 'customers', 'vendors', 'accounts', 'journal_entries'] },
];

/** Second instances of a system (regional accounts, legacy copies) when a large project needs more sources. */
export const SOURCE_SUFFIXES = ['_eu', '_us', '_uk', '_apac', '_legacy', '_v2', '_ca', '_au', '_latam'];

/** Tables whose domain differs from their system's. */
export const TABLE_DOMAINS: Record<string, Domain> = {
  customers: 'customers', contacts: 'customers', users: 'customers', profiles: 'customers', companies: 'customers',
  organizations: 'customers', accounts: 'customers', addresses: 'customers',
  products: 'products', product_variants: 'products', items: 'products', prices: 'products', reviews: 'products',
  charges: 'payments', refunds: 'payments', payments: 'payments', payment_intents: 'payments', transactions: 'payments',
  balance_transactions: 'payments', payouts: 'payments', disputes: 'payments',
  orders: 'orders', order_lines: 'orders', order_items: 'orders', carts: 'orders', cart_items: 'orders',
  shipments: 'shipping', fulfillments: 'shipping', campaigns: 'marketing', subscriptions: 'subscriptions',
};

/** Column spec: `raw|clean|type|transform|role|description`. `{e}` = entity in words, `{s}` = entity singular
 *  identifier, `{sys}` = source system title. Transforms: cents, micros, ts, email, trim, upper, lower, clean, ''. */
export const GENERIC_COLUMNS = [
  'status|status|varchar|lower|status|Current lifecycle status of the {e} in {sys}.',
  'created|created_at|timestamp|ts|ts|When the {e} was created in {sys}, in UTC.',
  'updated|updated_at|timestamp|ts|ts|When the {e} was last updated in {sys}, in UTC.',
  'amount_cents|amount|numeric|cents|measure|Amount of the {e} in the account currency, converted from cents.',
  'currency|currency|varchar|upper|attr|Three-letter ISO 4217 currency code of the {e}.',
  'name|{s}_name|varchar|trim|attr|Display name of the {e}.',
  'type|{s}_type|varchar|lower|attr|Type of {e} as classified in {sys}.',
  'is_deleted|is_deleted|boolean||attr|True when the {e} was soft-deleted in {sys}; such rows are kept for history.',
  'country|country_code|varchar|upper|attr|Two-letter ISO 3166 country code of the {e}.',
  'external_id|external_id|varchar||attr|Identifier of the {e} in the upstream system, kept for reconciliation.',
  'description|description|varchar|clean|attr|Free-text description of the {e} as entered in {sys}.',
  'quantity|quantity|integer||measure|Number of units on the {e}.',
  'email|email|varchar|email|attr|Email address on the {e}, lower-cased and trimmed.',
  'region|region|varchar|trim|attr|Sales region the {e} belongs to.',
  'priority|priority|varchar|lower|attr|Priority assigned to the {e}.',
  'source|record_source|varchar|lower|attr|Channel or integration that created the {e}.',
  'notes|notes|varchar|clean|attr|Internal notes on the {e}; may contain free text from agents.',
  'url|url|varchar||attr|Link to the {e} in {sys}.',
  'version|version_number|integer||attr|Revision number of the {e}, incremented on each update.',
  'metadata|metadata|varchar||attr|Raw JSON metadata attached to the {e}.',
];

export const DOMAIN_COLUMNS: Record<Domain, string[]> = {
  orders: [
    'order_number|order_number|varchar||attr|Human-readable order number shown to customers.',
    'total_price_cents|total_price|numeric|cents|measure|Order total including tax and shipping, in the order currency.',
    'subtotal_cents|subtotal|numeric|cents|measure|Sum of line prices before discounts, tax and shipping.',
    'shipping_cents|shipping_amount|numeric|cents|measure|Shipping charged to the customer.',
    'fulfillment_status|fulfillment_status|varchar|lower|status|Fulfillment state: unfulfilled, partial or fulfilled.',
    'cancelled_at|cancelled_at|timestamp|ts|ts|When the {e} was cancelled; null when it never was.',
    'processed_at|processed_at|timestamp|ts|ts|When payment for the {e} was processed.',
    'source_name|sales_channel|varchar|lower|attr|Sales channel the {e} came through (web, pos, marketplace).',
  ],
  payments: [
    'payment_method|payment_method|varchar|lower|attr|Payment method used (card, bank_transfer, wallet).',
    'card_brand|card_brand|varchar|lower|attr|Card network for card payments (visa, mastercard, amex).',
    'failure_code|failure_code|varchar||attr|Processor error code when the {e} failed.',
    'captured|is_captured|boolean||attr|True once the funds of the {e} were captured.',
    'fee_cents|fee_amount|numeric|cents|measure|Processing fee charged by the provider.',
    'net_cents|net_amount|numeric|cents|measure|Amount after fees and refunds.',
    'paid_at|paid_at|timestamp|ts|ts|When the {e} was paid.',
    'refunded_cents|refunded_amount|numeric|cents|measure|Total refunded on the {e} so far.',
  ],
  customers: [
    'first_name|first_name|varchar|trim|attr|Given name of the {e}.',
    'last_name|last_name|varchar|trim|attr|Family name of the {e}.',
    'signup_source|signup_source|varchar|lower|attr|Where the {e} signed up (organic, paid, referral).',
    'accepts_marketing|accepts_marketing|boolean||attr|True when the {e} opted in to marketing email.',
    'tier|customer_tier|varchar|lower|status|Loyalty tier: bronze, silver, gold or platinum.',
    'phone|phone|varchar|trim|attr|Phone number in E.164 format when known.',
    'city|city|varchar|trim|attr|City of the default address.',
    'postal_code|postal_code|varchar|trim|attr|Postal code of the default address.',
  ],
  inventory: [
    'sku|sku|varchar|upper|attr|Stock keeping unit of the item.',
    'quantity_on_hand|quantity_on_hand|integer||measure|Units physically in the warehouse.',
    'quantity_reserved|quantity_reserved|integer||measure|Units reserved for open orders.',
    'reorder_point|reorder_point|integer||attr|Stock level that triggers a purchase order.',
    'unit_cost_cents|unit_cost|numeric|cents|measure|Landed cost per unit.',
    'warehouse_code|warehouse_code|varchar|upper|attr|Code of the warehouse holding the stock.',
    'lot_number|lot_number|varchar||attr|Manufacturer lot or batch number.',
    'counted_at|counted_at|timestamp|ts|ts|When the stock was last counted.',
  ],
  marketing: [
    'campaign_name|campaign_name|varchar|trim|attr|Name of the campaign as set up in {sys}.',
    'impressions|impressions|integer||measure|Number of times the ad was shown.',
    'clicks|clicks|integer||measure|Number of clicks.',
    'spend_micros|spend|numeric|micros|measure|Spend in the account currency, converted from micros.',
    'conversions|conversions|integer||measure|Conversions attributed by the ad platform.',
    'utm_source|utm_source|varchar|lower|attr|utm_source of the landing URL.',
    'utm_medium|utm_medium|varchar|lower|attr|utm_medium of the landing URL.',
    'utm_campaign|utm_campaign|varchar|lower|attr|utm_campaign of the landing URL.',
  ],
  products: [
    'sku|sku|varchar|upper|attr|Stock keeping unit of the product.',
    'product_type|product_type|varchar|lower|attr|Merchandising type of the product.',
    'vendor|vendor|varchar|trim|attr|Brand or vendor that supplies the product.',
    'price_cents|price|numeric|cents|measure|List price in the store currency.',
    'compare_at_price_cents|compare_at_price|numeric|cents|measure|Original price shown struck through during a sale.',
    'category|category_code|varchar|lower|attr|Category code, mapped to names by the product_category_mapping seed.',
    'is_active|is_active|boolean||attr|True when the product is currently sold.',
    'launched_at|launched_at|timestamp|ts|ts|When the product went on sale.',
  ],
  shipping: [
    'carrier|carrier|varchar|lower|attr|Carrier handling the shipment (ups, fedex, dhl, usps).',
    'service_level|service_level|varchar|lower|attr|Carrier service level, e.g. ground or express.',
    'tracking_number|tracking_number|varchar|trim|attr|Carrier tracking number.',
    'shipped_at|shipped_at|timestamp|ts|ts|When the parcel left the warehouse.',
    'delivered_at|delivered_at|timestamp|ts|ts|When the carrier reported delivery.',
    'weight_grams|weight_grams|integer||measure|Parcel weight in grams.',
    'shipping_cost_cents|shipping_cost|numeric|cents|measure|What the carrier charged us.',
  ],
  finance: [
    'account_number|account_number|varchar||attr|General-ledger account number.',
    'posting_period|posting_period|varchar||attr|Accounting period the {e} is posted to (YYYY-MM).',
    'debit_cents|debit_amount|numeric|cents|measure|Debit amount in the subsidiary currency.',
    'credit_cents|credit_amount|numeric|cents|measure|Credit amount in the subsidiary currency.',
    'memo|memo|varchar|clean|attr|Memo line entered by the accountant.',
    'fiscal_year|fiscal_year|integer||attr|Fiscal year, which starts in February.',
    'transaction_type|transaction_type|varchar|lower|attr|NetSuite transaction type (invoice, bill, journal).',
  ],
  support: [
    'subject|subject|varchar|trim|attr|Subject line of the {e}.',
    'channel|channel|varchar|lower|attr|Channel the {e} came in through (email, chat, phone).',
    'assignee_email|assignee_email|varchar|email|attr|Email of the agent the {e} is assigned to.',
    'first_response_at|first_response_at|timestamp|ts|ts|When an agent first replied.',
    'solved_at|solved_at|timestamp|ts|ts|When the {e} was marked solved.',
    'satisfaction_score|satisfaction_score|integer||measure|CSAT score from 1 to 5 given by the requester.',
    'reopens|reopen_count|integer||measure|How many times the {e} was reopened.',
  ],
  subscriptions: [
    'plan_name|plan_name|varchar|trim|attr|Name of the subscription plan.',
    'interval|billing_interval|varchar|lower|attr|Billing interval: month or year.',
    'mrr_cents|mrr|numeric|cents|measure|Monthly recurring revenue of the {e}.',
    'trial_ends_at|trial_ends_at|timestamp|ts|ts|End of the free trial.',
    'cancelled_at|cancelled_at|timestamp|ts|ts|When the {e} was cancelled.',
    'renewal_count|renewal_count|integer||measure|Number of successful renewals.',
  ],
  web_analytics: [
    'session_id|session_id|varchar||attr|Session identifier assigned by the tracker.',
    'page_path|page_path|varchar|lower|attr|Path of the page, without query string.',
    'referrer|referrer|varchar||attr|Referring URL.',
    'device_type|device_type|varchar|lower|attr|Device class: desktop, mobile or tablet.',
    'browser|browser|varchar|lower|attr|Browser family.',
    'event_name|event_name|varchar|lower|attr|Name of the tracked event.',
    'anonymous_id|anonymous_id|varchar||attr|Cookie-based id before the visitor is identified.',
    'timestamp|event_at|timestamp|ts|ts|When the event happened on the client.',
  ],
  hr: [
    'department|department_code|varchar|upper|attr|Department code, see the employee_departments seed.',
    'job_title|job_title|varchar|trim|attr|Job title.',
    'hire_date|hire_date|date||ts|Date the employee started.',
    'termination_date|termination_date|date||ts|Last working day; null for current employees.',
    'employment_type|employment_type|varchar|lower|status|full_time, part_time or contractor.',
    'location|work_location|varchar|trim|attr|Office or remote location.',
  ],
  sales: [
    'stage_name|stage_name|varchar|trim|status|Pipeline stage of the opportunity.',
    'close_date|close_date|date||ts|Expected or actual close date.',
    'probability|probability|numeric||measure|Win probability in percent set by the stage.',
    'lead_source|lead_source|varchar|lower|attr|Where the lead came from.',
    'forecast_category|forecast_category|varchar|lower|attr|Forecast category: pipeline, best_case, commit or closed.',
    'annual_revenue_cents|annual_revenue|numeric|cents|measure|Annual revenue reported for the account.',
  ],
};

export const STATUS_VALUES: Record<Domain, string[]> = {
  orders: ['placed', 'shipped', 'completed', 'returned', 'cancelled'],
  customers: ['active', 'inactive', 'churned'],
  payments: ['pending', 'succeeded', 'failed', 'refunded'],
  inventory: ['available', 'reserved', 'damaged', 'in_transit'],
  marketing: ['active', 'paused', 'archived'],
  products: ['draft', 'active', 'discontinued'],
  shipping: ['label_created', 'in_transit', 'delivered', 'exception'],
  finance: ['open', 'pending_approval', 'posted', 'voided'],
  support: ['new', 'open', 'pending', 'solved', 'closed'],
  subscriptions: ['trialing', 'active', 'past_due', 'cancelled'],
  web_analytics: ['valid', 'bot', 'internal'],
  hr: ['active', 'on_leave', 'terminated'],
  sales: ['prospecting', 'qualification', 'proposal', 'closed_won', 'closed_lost'],
};

/** Words that turn an entity into an intermediate model name: `int_<plural>_<suffix>`. `{o}` = another entity. */
export const INT_PATTERNS = [
  'joined', 'enriched', 'deduplicated', 'unioned', 'cleaned', 'normalized', 'filtered', 'ranked', 'latest',
  'history', 'scored', 'mapped', 'with_{o}', 'joined_to_{o}', 'pivoted_to_{o}', 'aggregated_to_{o}',
  'attributed', 'sessionized', 'currency_converted', 'daily', 'windowed', 'flattened',
];

/** Mart name patterns; the kind decides the grain. */
export const MART_PATTERNS: { pattern: string; kind: 'fct' | 'dim' | 'daily' | 'agg' | 'rpt' }[] = [
  { pattern: 'fct_{p}', kind: 'fct' },
  { pattern: 'dim_{p}', kind: 'dim' },
  { pattern: 'fct_{p}_daily', kind: 'daily' },
  { pattern: 'agg_{p}_by_{d}', kind: 'agg' },
  { pattern: 'rpt_{p}_summary', kind: 'rpt' },
  { pattern: 'fct_{p}_enriched', kind: 'fct' },
  { pattern: 'dim_{p}_current', kind: 'dim' },
  { pattern: 'fct_{p}_monthly', kind: 'daily' },
  { pattern: 'fct_{p}_weekly', kind: 'daily' },
  { pattern: 'fct_{p}_history', kind: 'fct' },
  { pattern: 'dim_{p}_scd', kind: 'dim' },
  { pattern: 'rpt_{p}_kpis', kind: 'rpt' },
  { pattern: 'mart_{p}_overview', kind: 'rpt' },
  { pattern: 'rpt_{p}_cohorts', kind: 'agg' },
];

/** Columns that make poor grouping dimensions even though they are text. */
export const NOT_DIMENSIONS = /(_id|email|url|notes|description|metadata|name|number|subject|referrer|memo|path|phone|postal_code)$/;

export interface SeedSpec {
  name: string;
  description: string;
  header: string[];
  rows: string[][];
  domains: Domain[];
}

export const SEEDS: SeedSpec[] = [
  { name: 'country_codes', description: 'ISO 3166 country codes with their sales region.', header: ['country_code', 'country_name', 'sales_region', 'is_eu'], domains: ['customers', 'orders', 'shipping'],
    rows: [['US', 'United States', 'NA', 'false'], ['CA', 'Canada', 'NA', 'false'], ['GB', 'United Kingdom', 'EMEA', 'false'], ['DE', 'Germany', 'EMEA', 'true'], ['FR', 'France', 'EMEA', 'true'], ['NL', 'Netherlands', 'EMEA', 'true'], ['ES', 'Spain', 'EMEA', 'true'], ['AU', 'Australia', 'APAC', 'false'], ['JP', 'Japan', 'APAC', 'false'], ['BR', 'Brazil', 'LATAM', 'false'], ['MX', 'Mexico', 'LATAM', 'false'], ['IN', 'India', 'APAC', 'false']] },
  { name: 'currency_exchange_rates', description: 'Monthly average exchange rates to USD, maintained by finance.', header: ['currency', 'rate_to_usd', 'effective_month'], domains: ['finance', 'payments'],
    rows: [['USD', '1.0', '2024-01'], ['EUR', '1.09', '2024-01'], ['GBP', '1.27', '2024-01'], ['CAD', '0.74', '2024-01'], ['AUD', '0.66', '2024-01'], ['JPY', '0.0068', '2024-01'], ['BRL', '0.20', '2024-01'], ['MXN', '0.058', '2024-01']] },
  { name: 'marketing_channel_mapping', description: 'Maps utm_source/utm_medium pairs to reporting channels.', header: ['utm_source', 'utm_medium', 'channel', 'channel_group'], domains: ['marketing', 'web_analytics'],
    rows: [['google', 'cpc', 'paid_search', 'paid'], ['bing', 'cpc', 'paid_search', 'paid'], ['facebook', 'paid_social', 'paid_social', 'paid'], ['instagram', 'paid_social', 'paid_social', 'paid'], ['newsletter', 'email', 'email', 'owned'], ['klaviyo', 'email', 'email', 'owned'], ['google', 'organic', 'organic_search', 'organic'], ['partner', 'affiliate', 'affiliate', 'paid']] },
  { name: 'payment_method_mapping', description: 'Groups processor payment methods into reporting groups.', header: ['payment_method', 'payment_method_group', 'is_card'], domains: ['payments', 'subscriptions'],
    rows: [['card', 'card', 'true'], ['apple_pay', 'wallet', 'true'], ['google_pay', 'wallet', 'true'], ['paypal', 'wallet', 'false'], ['sepa_debit', 'bank', 'false'], ['ach_debit', 'bank', 'false'], ['gift_card', 'other', 'false']] },
  { name: 'product_category_mapping', description: 'Category codes and their merchandising hierarchy.', header: ['category_code', 'category_name', 'department'], domains: ['products', 'inventory'],
    rows: [['apparel_tops', 'Tops', 'Apparel'], ['apparel_bottoms', 'Bottoms', 'Apparel'], ['footwear', 'Footwear', 'Apparel'], ['home_kitchen', 'Kitchen', 'Home'], ['home_decor', 'Decor', 'Home'], ['beauty', 'Beauty', 'Health'], ['supplements', 'Supplements', 'Health']] },
  { name: 'employee_departments', description: 'Department codes with cost centers, owned by People Ops.', header: ['department_code', 'department_name', 'cost_center'], domains: ['hr'],
    rows: [['ENG', 'Engineering', 'CC100'], ['DATA', 'Data', 'CC110'], ['SALES', 'Sales', 'CC200'], ['MKT', 'Marketing', 'CC210'], ['CX', 'Customer Experience', 'CC300'], ['FIN', 'Finance', 'CC400'], ['OPS', 'Operations', 'CC500']] },
  { name: 'us_states', description: 'US state codes with census regions.', header: ['state_code', 'state_name', 'census_region'], domains: ['customers', 'shipping'],
    rows: [['CA', 'California', 'West'], ['NY', 'New York', 'Northeast'], ['TX', 'Texas', 'South'], ['WA', 'Washington', 'West'], ['IL', 'Illinois', 'Midwest'], ['FL', 'Florida', 'South'], ['MA', 'Massachusetts', 'Northeast']] },
  { name: 'holiday_calendar', description: 'Public holidays that shift demand, used by daily forecasts.', header: ['holiday_date', 'holiday_name', 'country_code'], domains: ['orders', 'support'],
    rows: [['2024-01-01', "New Year's Day", 'US'], ['2024-07-04', 'Independence Day', 'US'], ['2024-11-28', 'Thanksgiving', 'US'], ['2024-11-29', 'Black Friday', 'US'], ['2024-12-25', 'Christmas Day', 'US'], ['2024-12-26', 'Boxing Day', 'GB']] },
];

export const EXPOSURES = [
  { name: 'executive_revenue_dashboard', label: 'Executive Revenue Dashboard', type: 'dashboard', domains: ['orders', 'payments', 'finance'] },
  { name: 'marketing_attribution', label: 'Marketing Attribution', type: 'dashboard', domains: ['marketing', 'web_analytics', 'orders'] },
  { name: 'customer_health_scores', label: 'Customer Health Scores', type: 'application', domains: ['customers', 'support', 'subscriptions'] },
  { name: 'inventory_planning', label: 'Inventory Planning', type: 'dashboard', domains: ['inventory', 'products', 'shipping'] },
  { name: 'support_sla_report', label: 'Support SLA Report', type: 'dashboard', domains: ['support', 'customers'] },
  { name: 'finance_month_end_close', label: 'Finance Month-End Close', type: 'analysis', domains: ['finance', 'payments'] },
  { name: 'weekly_business_review', label: 'Weekly Business Review', type: 'dashboard', domains: ['orders', 'customers', 'marketing', 'sales'] },
  { name: 'churn_prediction_notebook', label: 'Churn Prediction', type: 'ml', domains: ['subscriptions', 'customers'] },
];

export const COMPANIES = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell', 'wonka', 'soylent', 'cyberdyne', 'aperture'];

export const AUTHORS = [
  'Maya Patel', 'Lucas Fernandes', 'Hannah Schmidt', 'Kenji Watanabe', 'Amara Okafor', 'Daniel Kowalski', 'Sofia Rossi',
  'Ethan Brooks', 'Priya Raman', 'Jonas Lindqvist', 'Chloe Martin', 'Omar Haddad', 'Grace Kim', 'Mateo Alvarez',
  'Olivia Chen', 'Tomasz Nowak', 'Isabel Duarte', 'Samuel Adeyemi', 'Lea Dubois', 'Ryan O\'Connor', 'Aiko Tanaka',
  'Felix Wagner',
];

export const TIMEZONES = ['+0000', '+0100', '+0200', '-0500', '-0800', '+0530', '-0300', '+1000', '-0600', '+0900'];

/** Comments earlier versions of a file carry, so each commit changes something. */
export const WIP_NOTES = [
  'TODO: revisit once the upstream backfill lands',
  'NOTE: temporary filter for test accounts',
  'FIXME: late-arriving records are dropped here',
  'TODO: move to incremental when volume grows',
  'WIP: waiting on review from analytics engineering',
  'NOTE: matches the logic in the legacy Looker view',
  'TODO: confirm timezone handling with finance',
  'HACK: dedupe until the connector bug is fixed',
];

export const COMMIT_BODIES = [
  'Requested by the finance team for month-end reporting.',
  'The upstream connector changed the column type last week.',
  'Needs a full refresh after deploy.',
  'Matches the definition agreed in the metrics review.',
  'Found while debugging the dashboard discrepancy.',
  'Keeps CI green after the dbt upgrade.',
  'Reviewed with the analytics engineering guild.',
  'Performance: this cut the model runtime roughly in half.',
];
