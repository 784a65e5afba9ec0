// Identifier checks against the example warehouse's real catalog: hallucinated tables and columns are found
// with close matches; CTE names, aliases, lambda parameters and derived columns are never reported.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkIdentifiers, similarity } from '../../../src/core/sql/identifiers';
import { readDuckDbCatalog } from '../../../src/core/warehouse/duckdb';
import type { WarehouseCatalog } from '../../../src/core/types';
import { buildExampleWarehouse, type ExampleWarehouse } from './exampleWarehouse';

let wh: ExampleWarehouse;
let catalog: WarehouseCatalog;

before(async () => {
  wh = await buildExampleWarehouse();
  catalog = await readDuckDbCatalog(wh.dbPath);
  assert.equal(catalog.error, undefined);
});
after(() => wh?.ex.cleanup());

const names = (r: { unknown: { kind: string; name: string }[] }) => r.unknown.map(u => `${u.kind}:${u.name}`);

for (const dialect of ['duckdb', 'snowflake'] as const) {
  describe(`checkIdentifiers (${dialect})`, () => {
    test('a correct query over marts with joins, CTEs, aliases and windows has no unknown names', async () => {
      const sql = `with spend as (
          select customer_id, sum(net_revenue) as revenue, count(*) as orders
          from marts.fct_orders o where o.order_status = 'completed' group by 1)
        select c.full_name, s.revenue, s.orders, rank() over (order by s.revenue desc) as rnk
        from spend s join marts.dim_customers c on c.customer_id = s.customer_id
        where exists (select 1 from marts.fct_order_items i where i.customer_id = c.customer_id and i.quantity > 1)
        order by rnk`;
      const r = await checkIdentifiers(sql, catalog, dialect);
      assert.deepEqual(r.unknown, []);
      assert.equal(r.message, '');
      assert.equal(r.columnsChecked, true);
    });

    test('an unknown table is reported with the closest real tables', async () => {
      const r = await checkIdentifiers('select * from marts.fct_order', catalog, dialect);
      assert.deepEqual(names(r), ['table:marts.fct_order']);
      assert.equal(r.unknown[0].suggestions[0], 'marts.fct_orders');
      assert.match(r.message, /unknown table `marts\.fct_order`; did you mean `marts\.fct_orders`/);
    });

    test('unknown qualified and unqualified columns are reported with suggestions from the tables in scope', async () => {
      const r = await checkIdentifiers(`select o.order_id, o.revenue, c.emial, ordr_status
        from marts.fct_orders o join marts.dim_customers c on c.customer_id = o.customer_id`, catalog, dialect);
      assert.deepEqual(names(r), ['column:o.revenue', 'column:c.emial', 'column:ordr_status']);
      assert.deepEqual(r.unknown[0].tables, ['marts.fct_orders']);
      assert.equal(r.unknown[0].suggestions[0], 'net_revenue');
      assert.equal(r.unknown[1].suggestions[0], 'email');
      assert.ok(r.unknown[2].suggestions.includes('fct_orders.order_status'), JSON.stringify(r.unknown[2]));
    });

    test('abbreviations find their column (qty → quantity)', async () => {
      const r = await checkIdentifiers('select i.qty from marts.fct_order_items i', catalog, dialect);
      assert.deepEqual(names(r), ['column:i.qty']);
      assert.equal(r.unknown[0].suggestions[0], 'quantity');
    });

    test('select-list aliases used in ORDER BY / QUALIFY are not columns', async () => {
      const r = await checkIdentifiers(`select customer_id, count(*) as n_orders from marts.fct_orders group by customer_id
        qualify row_number() over (order by n_orders desc) <= 3 order by n_orders desc`, catalog, dialect);
      assert.deepEqual(r.unknown, []);
    });
  });
}

describe('checkIdentifiers: dialect details', () => {
  test('DuckDB resolves unqualified tables in the default schema `main` only, and suggests the real schema', async () => {
    const r = await checkIdentifiers('select order_id from fct_orders', catalog, 'duckdb');
    assert.deepEqual(names(r), ['table:fct_orders']);
    assert.equal(r.unknown[0].suggestions[0], 'marts.fct_orders');
    const ok = await checkIdentifiers('select order_id from fct_orders', catalog, 'duckdb', { defaultSchema: 'marts' });
    assert.deepEqual(ok.unknown, []);
  });

  test('three-part names and table-qualified columns resolve; lambda parameters and struct fields are not judged', async () => {
    const r = await checkIdentifiers(`select shopwise.marts.fct_orders.order_id, list_transform([1, 2], x -> x + 1) as l
      from shopwise.marts.fct_orders`, catalog, 'duckdb');
    assert.deepEqual(r.unknown, []);
    const wrongDb = await checkIdentifiers('select 1 from elsewhere.marts.fct_orders', catalog, 'duckdb');
    assert.deepEqual(names(wrongDb), ['table:elsewhere.marts.fct_orders']);
  });

  test('columns of subqueries and table functions are not judged', async () => {
    const r = await checkIdentifiers(`select s.anything, u.v, whatever from (select 1 as anything) s, unnest([1]) u(v)`, catalog, 'duckdb');
    assert.deepEqual(r.unknown, []);
  });

  test('Snowflake statements the grammar cannot read still get their tables checked', async () => {
    const r = await checkIdentifiers('select * from marts.fct_orderz sample (10) join marts.dim_customers d using (customer_id)', catalog, 'snowflake');
    assert.equal(r.columnsChecked, false);
    assert.deepEqual(names(r), ['table:marts.fct_orderz']);
    assert.equal(r.unknown[0].suggestions[0], 'marts.fct_orders');
  });

  test('Snowflake semi-structured paths refer to their root column', async () => {
    const r = await checkIdentifiers("select v:a.b::string as s from raw.raw_orders where status = 'x'", catalog, 'snowflake');
    assert.deepEqual(names(r), ['column:v']);
  });

  test('similarity ranks exact, abbreviations and word overlap above unrelated names', () => {
    assert.equal(similarity('Orders', 'orders'), 1);
    assert.ok(similarity('qty', 'quantity') > similarity('qty', 'city'));
    assert.ok(similarity('customer_email', 'email') >= 0.45);
    assert.ok(similarity('revenue', 'zzz') < 0.45);
  });
});
