import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, type ExampleCopy } from '../../support/example';
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { WorkspaceLoader } from '../../../src/core/workspace/load';
import { discoverProjects } from '../../../src/core/dbt/discover';
import { parseProjectFiles } from '../../../src/core/dbt/parse';
import { buildLocalWarehouse } from '../../../src/core/warehouse/localBuild';
import { readDuckDbCatalog } from '../../../src/core/warehouse/duckdb';
import { applyChanges } from '../../../src/core/edits/apply';
import type { EditPlan } from '../../../src/core/edits/types';
import type { EditEngine } from '../../../src/core/edits/refactorContext';
import { planRenameColumn } from '../../../src/core/edits/refactorColumn';
import { planReplaceHardcodedRelations } from '../../../src/core/edits/refactorRelations';
import { readTree } from './refactor-project';

function engineFor(dir: string): EditEngine {
  const loader = new WorkspaceLoader(dir, { noHistory: true });
  return { snapshot: () => loader.load() };
}

function applyToDisk(dir: string, plan: EditPlan): void {
  const r = applyChanges(readTree(dir), plan.changes);
  assert.deepEqual(r.problems, []);
  for (const [p, t] of r.files) {
    if (t === null) fs.rmSync(path.join(dir, p));
    else fs.writeFileSync(path.join(dir, p), t);
  }
}

/** Builds the project into a fresh DuckDB file and returns each relation's columns. */
async function build(dir: string, file: string): Promise<{ failed: { node: string; reason: string }[]; columns: Map<string, string[]> }> {
  const { projects } = await discoverProjects(dir);
  const project = await parseProjectFiles(dir, projects[0]);
  const db = path.join(dir, file);
  const r = await buildLocalWarehouse(project, dir, db, { targetSchema: 'main' });
  const cat = await readDuckDbCatalog(db);
  return { failed: r.failed, columns: new Map(cat.tables.map(t => [`${t.schema}.${t.name}`, t.columns.map(c => c.name)])) };
}

describe('column renames and hard-coded relations on the example project (checked by building it in DuckDB)', () => {
  let ex: ExampleCopy;
  before(async () => {
    ex = copyExample({ history: false });
    await ensureExampleWarehouse(ex.dir);
  });
  after(() => ex.cleanup());

  test('stg_shop__orders.order_status: the model, its YAML and its readers change; every other relation keeps its columns', async () => {
    // ensureExampleWarehouse built the untouched project into shopwise.duckdb: the columns before.
    const beforeCat = await readDuckDbCatalog(path.join(ex.dir, 'shopwise.duckdb'));
    const beforeBuild = { columns: new Map(beforeCat.tables.map(t => [`${t.schema}.${t.name}`, t.columns.map(c => c.name)])) };
    assert.ok(beforeBuild.columns.size > 20);
    const plan = await planRenameColumn(engineFor(ex.dir), 'stg_shop__orders', 'order_status', 'fulfilment_status');
    assert.deepEqual(plan.problems, []);
    const paths = plan.changes.map(c => c.path).sort();
    assert.deepEqual(paths, [
      'models/intermediate/int_customer_order_history.sql', 'models/intermediate/int_order_items_enriched.sql',
      'models/marts/core/fct_orders.sql', 'models/staging/shop/_shop__models.yml', 'models/staging/shop/stg_shop__orders.sql',
    ]);
    const yaml = plan.changes.find(c => c.path.endsWith('_shop__models.yml'));
    assert.ok(yaml?.kind === 'modify' && yaml.edits.length === 1 && yaml.edits[0].newText === 'fulfilment_status');

    applyToDisk(ex.dir, plan);
    const afterBuild = await build(ex.dir, 'after.duckdb');
    assert.deepEqual(afterBuild.failed, [], 'every model still builds');
    for (const [rel, cols] of beforeBuild.columns) {
      const now = afterBuild.columns.get(rel);
      if (rel === 'staging.stg_shop__orders') assert.deepEqual(now, cols.map(c => (c === 'order_status' ? 'fulfilment_status' : c)));
      else assert.deepEqual(now, cols, `${rel} keeps its columns`);
    }
    const fct = fs.readFileSync(path.join(ex.dir, 'models/marts/core/fct_orders.sql'), 'utf8');
    assert.match(fct, /orders\.fulfilment_status as order_status,/);
    assert.match(fct, /when orders\.fulfilment_status = 'cancelled'/);
  });

  test('a column used inside a Jinja macro argument is listed, not edited', async () => {
    const plan = await planRenameColumn(engineFor(ex.dir), 'stg_shop__orders', 'shipping_cents', 'shipping_fee_cents');
    assert.ok(!plan.changes.some(c => c.path === 'models/marts/core/fct_orders.sql'));
    assert.match(plan.explanation, /fct_orders\.sql:\d+` — `shipping_cents` appears inside the Jinja `cents_to_dollars\('orders\.shipping_cents'\)`/);
  });

  test('unqualified references: edited when only the renamed model can have the column, listed when ambiguous', async () => {
    fs.writeFileSync(path.join(ex.dir, 'models/marts/order_customer_check.sql'), [
      'with o as (select * from {{ ref(\'stg_shop__orders\') }}),',
      "c as (select * from {{ ref('stg_shop__customers') }})",
      'select',
      '    o.order_id,',
      '    coupon_code,',
      '    customer_id',
      'from o',
      'join c using (customer_id)',
      '',
    ].join('\n'));
    const e = engineFor(ex.dir);
    const coupon = await planRenameColumn(e, 'stg_shop__orders', 'coupon_code', 'promo_code');
    const mine = coupon.changes.find(c => c.path === 'models/marts/order_customer_check.sql');
    assert.ok(mine?.kind === 'modify');
    assert.deepEqual(mine.edits.map(x => x.newText), ['promo_code', ' as coupon_code'], 'customers have no coupon_code: the reference is the orders one');

    const cust = await planRenameColumn(e, 'stg_shop__orders', 'customer_id', 'buyer_id');
    assert.ok(!cust.changes.some(c => c.path === 'models/marts/order_customer_check.sql'));
    assert.match(cust.explanation, /order_customer_check\.sql:6` — unqualified `customer_id` could come from o or c/);
    assert.match(cust.explanation, /order_customer_check\.sql:8` — `using \(customer_id\)`/);
  });

  test('refused when the new name is taken', async () => {
    const plan = await planRenameColumn(engineFor(ex.dir), 'stg_shop__orders', 'coupon_code', 'customer_id');
    assert.equal(plan.changes.length, 0);
    assert.match(plan.problems[0].message, /already has a column named customer_id/);
  });

  test('hard-coded relations: schema.table and db.schema.table names of known relations become ref()/source(); the rest stays', async () => {
    const rel = 'models/marts/hardcoded.sql';
    const sql = [
      '-- raw.raw_orders in a comment stays',
      "select o.order_id, c.email, 'raw.raw_orders' as s",
      'from shopwise.staging.stg_shop__orders o',
      'join raw.raw_customers as c on o.customer_id = c.id',
      'left join "raw"."raw_channels" ch on ch.id = c.acquisition_channel_id',
      'cross join main.unknown_table u',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(ex.dir, rel), sql);
    const plan = await planReplaceHardcodedRelations(engineFor(ex.dir), rel);
    assert.deepEqual(plan.problems, []);
    applyToDisk(ex.dir, plan);
    const text = fs.readFileSync(path.join(ex.dir, rel), 'utf8');
    assert.equal(text, sql
      .replace('shopwise.staging.stg_shop__orders', "{{ ref('stg_shop__orders') }}")
      .replace('join raw.raw_customers', "join {{ source('shop', 'customers') }}")
      .replace('"raw"."raw_channels"', "{{ source('marketing', 'channels') }}"));
    assert.match(plan.explanation, /main\.unknown_table` — no model, seed, snapshot or declared source/);
    const snap = await engineFor(ex.dir).snapshot();
    const node = snap.graph.get('model.shopwise.hardcoded')!;
    assert.deepEqual(node.refs, [{ name: 'stg_shop__orders' }]);
    assert.deepEqual(node.sources, [{ source: 'shop', table: 'customers' }, { source: 'marketing', table: 'channels' }]);
  });
});
