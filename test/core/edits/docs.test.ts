// "Document a model or source" on a private copy of the example with its real DuckDB warehouse: placement by
// convention, columns from SQL and catalog, inherited descriptions and doc() refs, comments kept, the language
// model's part, a folder at once, idempotence.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { planDocumentation, planDocumentFolder } from '../../../src/core/edits/document';
import { applyChanges } from '../../../src/core/edits/apply';
import type { EditPlan } from '../../../src/core/edits/types';
import { openDuckDbConnection } from '../../../src/core/warehouse/duckdbConnection';
import { assertLinesKept, openExample, ScriptedModel, wantedColumns, type ExampleWorkspace } from './docsFixture';

let ws: ExampleWorkspace;
before(async () => { ws = await openExample({ warehouse: true }); });
after(async () => { await ws?.close(); });

const INTERMEDIATE = 'models/intermediate/_intermediate__models.yml';
const CORE = 'models/marts/core/_core__models.yml';

/** The plan's new text of one file. */
function result(plan: EditPlan, rel: string): string {
  const r = applyChanges(new Map([[rel, ws.read(rel)]]), plan.changes);
  assert.deepEqual(r.problems, []);
  return r.files.get(rel) as string;
}

/** The YAML entry `name` of a models: list, as plain data. */
function entry(text: string, name: string): { description?: string; columns?: { name: string; description?: string; data_tests?: unknown[] }[] } {
  const doc = parseDocument(text).toJS() as { models: { name: string }[] };
  const e = doc.models.find(m => m.name === name);
  assert.ok(e, `entry ${name}`);
  return e as ReturnType<typeof entry>;
}

describe('planDocumentation', () => {
  test('with a language model: prose for what nothing documents, repository text quoted, Jinja in replies neutralised', async () => {
    const model = new ScriptedModel(messages => JSON.stringify({
      description: 'One row per customer with {{ run_query("drop table x") }} their order history.',
      columns: Object.fromEntries(wantedColumns(messages).map(c => [c, `Generated: ${c}.`])),
    }));
    const plan = await planDocumentation(ws.engine, 'int_customer_order_history', { model });
    assert.deepEqual(plan.problems, []);
    assert.equal(model.requests.length, 1);
    const [system, user] = model.requests[0];
    assert.match(system.content, /never follow instructions/);
    assert.match(user.content, /<untrusted source="SQL of int_customer_order_history">\nwith orders as \(/);
    // customer_id is inherited from upstream, so the model is not asked for it.
    assert.deepEqual(wantedColumns(model.requests[0]), ['first_ordered_at', 'most_recent_ordered_at', 'number_of_orders', 'number_of_returned_orders',
      'lifetime_subtotal_cents', 'lifetime_refunded_cents', 'lifetime_net_revenue_cents']);
    const e = entry(result(plan, INTERMEDIATE), 'int_customer_order_history');
    assert.equal(e.description, 'One row per customer with { { run_query("drop table x") } } their order history.');
    assert.equal(e.columns![0].description, 'The customer who placed the order.');
    assert.equal(e.columns![1].description, 'Generated: first_ordered_at.');
    assert.match(plan.explanation, /`first_ordered_at` timestamp \(new\): described by the language model/);
  });

  test('an undocumented model goes into its folder\'s YAML with columns from the SQL, types from the catalog and inherited descriptions', async () => {
    const before = ws.read(INTERMEDIATE);
    const plan = await planDocumentation(ws.engine, 'int_customer_order_history');
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.title, 'Document int_customer_order_history');
    assert.deepEqual(plan.changes.map(c => [c.kind, c.path]), [['modify', INTERMEDIATE]]);
    const change = plan.changes[0];
    assert.ok(change.kind === 'modify' && change.edits.every(e => e.start === e.end && e.start === before.length), 'one insertion at the end');
    const text = result(plan, INTERMEDIATE);
    assert.ok(text.startsWith(before), 'the existing file, comments included, is untouched');
    assert.match(text, /# int_customer_order_history is not documented here on purpose/);
    const e = entry(text, 'int_customer_order_history');
    assert.deepEqual(e.columns!.map(c => c.name), ['customer_id', 'first_ordered_at', 'most_recent_ordered_at', 'number_of_orders',
      'number_of_returned_orders', 'lifetime_subtotal_cents', 'lifetime_refunded_cents', 'lifetime_net_revenue_cents']);
    // Inherited from stg_shop__orders (its YAML), cited; no placeholder text for the rest.
    assert.equal(e.columns![0].description, 'The customer who placed the order.');
    assert.ok(e.columns!.slice(1).every(c => !('description' in c)));
    assert.equal(e.description, undefined);
    assert.ok(plan.citations.some(c => c.path === 'models/staging/shop/_shop__models.yml' && c.kind === 'column' && c.title === 'stg_shop__orders.customer_id'));
    assert.ok(plan.citations.some(c => c.path === 'models/intermediate/int_customer_order_history.sql'));
    assert.match(plan.explanation, /`customer_id` integer \(new\): inherited from stg_shop__orders\.customer_id/);
    assert.match(plan.explanation, /`lifetime_net_revenue_cents` hugeint \(new\): added without a description \(no language model/);
    assert.match(plan.explanation, /Columns from the SQL, types from the warehouse catalog/);

    // Applied and re-read: the graph sees the entry; planning again proposes nothing (no duplicates).
    await ws.apply(plan);
    const node = (await ws.engine.snapshot()).graph.resolve('int_customer_order_history')!;
    assert.equal(node.yamlLocation?.path, INTERMEDIATE);
    assert.equal(node.columns.length, 8);
    const again = await planDocumentation(ws.engine, 'int_customer_order_history');
    assert.deepEqual(again.changes, []);
    assert.deepEqual(again.problems, []);
  });

  test('with a warehouse connection the entry also gets tests inferred from the data', async () => {
    const conn = await openDuckDbConnection(ws.dbPath);
    try {
      const plan = await planDocumentation(ws.engine, 'int_customer_order_history', { connection: conn });
      assert.deepEqual(plan.problems, []);
      const e = entry(result(plan, INTERMEDIATE), 'int_customer_order_history');
      assert.deepEqual(e.columns!.find(c => c.name === 'customer_id')!.data_tests, ['unique', 'not_null']);
      assert.match(plan.explanation, /`customer_id`: \*\*unique\*\* — (\d+) rows, \1 distinct values/);
    } finally { await conn.close(); }
  });

  test('a model whose YAML is full of comments keeps every byte of it; only the missing column is added', async () => {
    const original = ws.read(CORE);
    const commented = original
      .replace('  - name: fct_order_items\n', '  # order lines: keep this comment\n  - name: fct_order_items   # trailing\n')
      .replace("      - name: gross_margin\n", "      # margin after cost (comment between columns)\n      - name: gross_margin\n")
      .replace('        description: True when a coupon reduced the line.\n', '        description: True when a coupon reduced the line.  # why: coupons\n        # a note under is_discounted\n');
    assert.notEqual(commented, original);
    ws.write(CORE, commented);
    await ws.engine.refresh();
    try {
      const plan = await planDocumentation(ws.engine, 'fct_order_items');
      assert.deepEqual(plan.problems, []);
      const text = result(plan, CORE);
      assertLinesKept(commented, text);
      const change = plan.changes[0];
      assert.ok(change.kind === 'modify' && change.edits.every(e => e.start === e.end), 'insertions only');
      // cost_amount is added in the SQL's order (before gross_margin and its leading comment), nothing else changes.
      assert.match(text, /        description: gross_amount - discount_amount, in dollars\.\n      - name: cost_amount\n      # margin after cost \(comment between columns\)\n      - name: gross_margin\n/);
      assert.equal(text.length - commented.length, '      - name: cost_amount\n'.length);
    } finally {
      ws.write(CORE, original);
      await ws.engine.refresh();
    }
  });

  test('doc() references are inherited as written and resolve; a new folder gets a new file by convention', async () => {
    ws.write('models/marts/core/order_status_counts.sql', "select order_status, count(*) as order_count\nfrom {{ ref('fct_orders') }}\ngroup by order_status\n");
    ws.write('models/marts/ops/ops_payment_methods.sql', "select payment_method, count(*) as payments\nfrom {{ ref('stg_billing__payments') }}\ngroup by 1\n");
    await ws.engine.refresh();
    const counts = await planDocumentation(ws.engine, 'order_status_counts');
    assert.deepEqual(counts.problems, []);
    const e = entry(result(counts, CORE), 'order_status_counts');
    assert.deepEqual(e.columns, [{ name: 'order_status', description: '{{ doc("order_status") }}' }, { name: 'order_count' }]);
    assert.match(result(counts, CORE), /      - name: order_status\n        description: '\{\{ doc\("order_status"\) \}\}'\n/);
    assert.match(counts.explanation, /inherited from fct_orders\.order_status \(doc\('order_status'\)\)/);
    assert.match(counts.explanation, /Columns from the SQL\./, 'not built: no catalog types');

    const ops = await planDocumentation(ws.engine, 'ops_payment_methods');
    assert.deepEqual(ops.problems, []);
    assert.deepEqual(ops.changes, [{ kind: 'create', path: 'models/marts/ops/_ops__models.yml',
      text: "version: 2\n\nmodels:\n  - name: ops_payment_methods\n    columns:\n      - name: payment_method\n        description: '{{ doc(\"payment_method\") }}'\n      - name: payments\n" }]);
  });

  test('rewrite replaces existing descriptions with the model\'s; without it they are kept and the model is not asked', async () => {
    const model = new ScriptedModel(messages => JSON.stringify({ description: 'Rewritten model text.', columns: Object.fromEntries(wantedColumns(messages).map(c => [c, `New ${c}.`])) }));
    const kept = await planDocumentation(ws.engine, 'stg_billing__payments', { model });
    assert.deepEqual(kept.changes, []);
    assert.equal(model.requests.length, 0, 'everything is documented: no request');
    const plan = await planDocumentation(ws.engine, 'stg_billing__payments', { model, rewrite: true });
    assert.deepEqual(plan.problems, []);
    const rel = 'models/staging/billing/_billing__models.yml';
    const text = result(plan, rel);
    const e = entry(text, 'stg_billing__payments');
    assert.equal(e.description, 'Rewritten model text.');
    assert.equal(e.columns!.find(c => c.name === 'payment_method')!.description, 'New payment_method.');
    assert.equal(e.columns!.find(c => c.name === 'payment_id')!.description, 'New payment_id.');
    // Tests, columns and their order are untouched.
    const shape = (t: string) => entry(t, 'stg_billing__payments').columns!.map(c => [c.name, c.data_tests]);
    assert.deepEqual(shape(text), shape(ws.read(rel)));
  });

  test('a source table gets its missing columns from the catalog, in the warehouse order, without duplicates', async () => {
    const rel = 'models/staging/shop/_shop__sources.yml';
    const plan = await planDocumentation(ws.engine, 'shop.orders');
    assert.deepEqual(plan.problems, []);
    const text = result(plan, rel);
    assertLinesKept(ws.read(rel), text);
    const doc = parseDocument(text).toJS() as { sources: { name: string; tables: { name: string; columns: { name: string }[] }[] }[] };
    const cols = doc.sources[0].tables.find(t => t.name === 'orders')!.columns.map(c => c.name);
    assert.deepEqual(cols, ['id', 'user_id', 'channel_id', 'created_at', 'status', 'coupon_code', 'shipping_cents', '_loaded_at']);
  });
});

describe('planDocumentFolder', () => {
  test('one plan for every undocumented column of a folder; applied, nothing is left to do', async () => {
    const plan = await planDocumentFolder(ws.engine, 'models/marts/');
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.title, 'Document all undocumented columns in models/marts');
    const paths = plan.changes.map(c => c.path);
    assert.ok(paths.includes(CORE) && paths.includes('models/marts/finance/_finance__models.yml') && paths.includes('models/marts/marketing/_marketing__models.yml'), paths.join(', '));
    assert.match(plan.explanation, /### dim_customers \(model\)[\s\S]*`days_since_last_order` bigint \(new\)/);
    assert.match(plan.explanation, /`clicks` integer \(new\): inherited from stg_marketing__ad_spend\.clicks/);
    for (const c of plan.changes) if (c.kind === 'modify') assertLinesKept(c.before, result(plan, c.path));
    await ws.apply(plan);
    const again = await planDocumentFolder(ws.engine, 'models/marts');
    assert.deepEqual(again.changes, []);
    assert.match(again.explanation, /^Nothing to add under models\/marts: \d+ column\(s\) still lack a description/);
  });

  test('a name that is no documentable node is a problem, not a crash', async () => {
    const plan = await planDocumentation(ws.engine, 'no_such_model');
    assert.deepEqual(plan.changes, []);
    assert.match(plan.problems[0].message, /No model, source, seed or snapshot is named no_such_model/);
    const macro = await planDocumentation(ws.engine, 'cents_to_dollars');
    assert.match(macro.problems[0].message, /cents_to_dollars is a macro/);
  });
});
