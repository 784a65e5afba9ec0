import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, requestedDepth } from '../../../src/core/answer/intent';

const cases: [string, string][] = [
  ['Who last changed fct_orders?', 'history'],
  ['what changed in stg_orders recently', 'history'],
  ['Which tests cover the customer_id column of dim_customers?', 'tests'],
  ['Which sources feed the orders fact table?', 'sources'],
  ['What depends on stg_shop__orders?', 'downstream'],
  ['What breaks if I change int_order_totals?', 'downstream'],
  ['What does fct_orders depend on?', 'upstream'],
  ['What is upstream of dim_customers?', 'upstream'],
  ['Which dashboards use fct_orders?', 'exposures'],
  ['Where is the cents_to_dollars macro used?', 'macro_usage'],
  ['What is the grain of fct_order_items?', 'grain'],
  ['Is fct_orders materialized as a table or incremental?', 'config'],
  ['How is the revenue metric defined?', 'metric'],
  ['What does the net_revenue column mean?', 'column'],
  ['Where is the orders fact table defined?', 'definition'],
  ['What is dim_products?', 'describe'],
  ['orders refunds', 'search'],
];

for (const [q, intent] of cases) {
  test(`classify: ${q}`, () => assert.equal(classify(q), intent));
}

test('requested depth in words and numbers', () => {
  assert.equal(requestedDepth('upstream of x two levels'), 2);
  assert.equal(requestedDepth('lineage of x depth 3'), 3);
  assert.equal(requestedDepth('everything upstream all the way'), 50);
  assert.equal(requestedDepth('upstream of x'), undefined);
});
