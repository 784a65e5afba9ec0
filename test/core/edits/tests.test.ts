// "Generate tests" from profiling the example's real DuckDB warehouse through the read-only connection: keys,
// statuses, relationships verified by anti-joins, sources/seeds/snapshots, no duplicates, and tests that follow
// the data when the data changes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { DuckDBInstance } from '@duckdb/node-api';
import { planTests } from '../../../src/core/edits/testsGen';
import { applyChanges } from '../../../src/core/edits/apply';
import type { EditPlan } from '../../../src/core/edits/types';
import type { WarehouseConnection } from '../../../src/core/warehouse/connection';
import { openDuckDbConnection } from '../../../src/core/warehouse/duckdbConnection';
import { assertLinesKept, openExample, type ExampleWorkspace } from './docsFixture';

let ws: ExampleWorkspace;
let conn: WarehouseConnection;
before(async () => {
  ws = await openExample({ warehouse: true });
  conn = await openDuckDbConnection(ws.dbPath);
});
after(async () => { await conn?.close(); await ws?.close(); });

const CORE = 'models/marts/core/_core__models.yml';

function result(plan: EditPlan, rel: string): string {
  const r = applyChanges(new Map([[rel, ws.read(rel)]]), plan.changes);
  assert.deepEqual(r.problems, []);
  return r.files.get(rel) as string;
}

type Col = { name: string; data_tests?: unknown[] };
function columnsOf(text: string, list: 'models' | 'seeds' | 'snapshots', name: string): Col[] {
  const doc = parseDocument(text).toJS() as Record<string, { name: string; columns?: Col[] }[]>;
  return doc[list].find(m => m.name === name)?.columns ?? [];
}
const testsOf = (cols: Col[], name: string) => cols.find(c => c.name === name)?.data_tests ?? [];

/** An independent query on the warehouse (not through the profiler). */
async function values(sql: string): Promise<unknown[]> {
  return (await conn.query(sql, { maxRows: 100, timeoutMs: 10_000 })).rows.map(r => r[0]);
}

describe('planTests', () => {
  test('fct_order_items: accepted values as in the data, a relationship verified by an anti-join, nothing duplicated', async () => {
    const beforeText = ws.read(CORE);
    const plan = await planTests(ws.engine, 'fct_order_items', { connection: conn });
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.title, 'Generate tests for fct_order_items');
    const text = result(plan, CORE);
    assertLinesKept(beforeText, text);
    const cols = columnsOf(text, 'models', 'fct_order_items');
    const statuses = await values('select distinct order_status from marts.fct_order_items order by 1');
    assert.equal(statuses.length, 5);
    assert.deepEqual(testsOf(cols, 'order_status'), ['not_null', { accepted_values: { values: statuses } }]);
    assert.deepEqual(testsOf(cols, 'customer_id'), ['not_null', { relationships: { to: "ref('dim_customers')", field: 'customer_id' } }]);
    assert.deepEqual(await values('select count(*) from marts.fct_order_items f where not exists (select 1 from marts.dim_customers d where d.customer_id = f.customer_id)'), [0]);
    // Columns that had their tests keep exactly those (no second unique/not_null/relationships).
    const old = columnsOf(beforeText, 'models', 'fct_order_items');
    for (const c of ['order_item_id', 'order_id', 'product_id', 'quantity', 'unit_price']) assert.deepEqual(testsOf(cols, c), testsOf(old, c), c);
    const rows = (await values('select count(*) from marts.fct_order_items'))[0];
    assert.match(plan.explanation, new RegExp(`\`customer_id\`: \\*\\*relationships\\*\\* to \`ref\\('dim_customers'\\)\` — every non-null customer_id matches dim_customers\\.customer_id \\(anti-join: 0 orphans\\)`));
    assert.match(plan.explanation, new RegExp(`Profiled "marts"\\."fct_order_items" \\(${Number(rows).toLocaleString('en-US')} rows\\)`));
  });

  test('an undocumented model: unique and not_null on its key, in a new entry placed by convention', async () => {
    const plan = await planTests(ws.engine, 'int_customer_order_history', { connection: conn });
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(plan.changes.map(c => c.path), ['models/intermediate/_intermediate__models.yml']);
    const cols = columnsOf(result(plan, 'models/intermediate/_intermediate__models.yml'), 'models', 'int_customer_order_history');
    assert.deepEqual(cols, [{ name: 'customer_id', data_tests: ['unique', 'not_null'] }]);
    const [n, d] = (await conn.query('select count(*), count(distinct customer_id) from intermediate.int_customer_order_history', { maxRows: 1, timeoutMs: 10_000 })).rows[0];
    assert.equal(n, d);
    assert.match(plan.explanation, new RegExp(`\\*\\*unique\\*\\* — ${n} rows, ${d} distinct values`));
  });

  test('sources, seeds and snapshots: raw data is related to raw data; snapshot keys are not unique', async () => {
    const src = await planTests(ws.engine, 'shop.orders', { connection: conn });
    assert.deepEqual(src.problems, [], 'source(...) resolves');
    const srcText = result(src, 'models/staging/shop/_shop__sources.yml');
    const orders = (parseDocument(srcText).toJS() as { sources: { tables: { name: string; columns: Col[] }[] }[] }).sources[0].tables.find(t => t.name === 'orders')!;
    assert.deepEqual(testsOf(orders.columns, 'channel_id'), ['not_null', { relationships: { to: "source('marketing', 'channels')", field: 'id' } }]);
    assert.deepEqual(testsOf(orders.columns, 'id'), ['unique', 'not_null'], 'kept, not duplicated');

    const seed = await planTests(ws.engine, 'raw_orders', { connection: conn });
    assert.deepEqual(seed.problems, []);
    const seedCols = columnsOf(result(seed, 'seeds/_seeds.yml'), 'seeds', 'raw_orders');
    assert.deepEqual(testsOf(seedCols, 'id'), ['unique', 'not_null']);
    assert.deepEqual(testsOf(seedCols, 'channel_id'), ['not_null', { relationships: { to: "ref('raw_channels')", field: 'id' } }]);

    const snap = await planTests(ws.engine, 'products_snapshot', { connection: conn });
    assert.deepEqual(snap.problems, []);
    const snapCols = columnsOf(result(snap, 'snapshots/_snapshots.yml'), 'snapshots', 'products_snapshot');
    assert.ok(!JSON.stringify(snapCols).includes('"unique"'), 'no unique on a snapshot');
    assert.deepEqual(testsOf(snapCols, 'product_id'), ['not_null', { relationships: { to: "source('shop', 'products')", field: 'id' } }]);
  });

  test('applied tests are not proposed again', async () => {
    const plan = await planTests(ws.engine, 'stg_billing__payments', { connection: conn });
    assert.deepEqual(plan.problems, []);
    assert.ok(plan.changes.length === 1);
    await ws.apply(plan);
    const again = await planTests(ws.engine, 'stg_billing__payments', { connection: conn });
    assert.deepEqual(again.changes, []);
    assert.match(again.explanation, /No new test is supported by the data of stg_billing__payments/);
  });

  test('a relation missing from the warehouse is reported, not guessed', async () => {
    ws.write('models/marts/core/not_built.sql', "select customer_id from {{ ref('dim_customers') }}\n");
    await ws.engine.refresh();
    const plan = await planTests(ws.engine, 'not_built', { connection: conn });
    assert.deepEqual(plan.changes, []);
    assert.equal(plan.problems[0].severity, 'warning');
    assert.match(plan.problems[0].message, /not_built is not in the warehouse catalog .*Build it/);
  });

  test('the tests follow the data: a new status value is listed, an orphan key drops the relationship', async () => {
    await conn.close();
    const db = await DuckDBInstance.create(ws.dbPath);
    const c = await db.connect();
    try {
      await c.run("update marts.fct_order_items set order_status = 'lost' where order_item_id = (select min(order_item_id) from marts.fct_order_items)");
      await c.run('update marts.fct_order_items set customer_id = -1 where order_item_id = (select max(order_item_id) from marts.fct_order_items)');
    } finally { c.closeSync(); db.closeSync(); }
    conn = await openDuckDbConnection(ws.dbPath);
    const plan = await planTests(ws.engine, 'fct_order_items', { connection: conn });
    assert.deepEqual(plan.problems, []);
    const cols = columnsOf(result(plan, CORE), 'models', 'fct_order_items');
    const accepted = (testsOf(cols, 'order_status')[1] as { accepted_values: { values: string[] } }).accepted_values.values;
    assert.ok(accepted.includes('lost'));
    assert.equal(accepted.length, 6);
    assert.deepEqual(testsOf(cols, 'customer_id'), ['not_null'], 'an orphan: no relationships test');
  });
});
