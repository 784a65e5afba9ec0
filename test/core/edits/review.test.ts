import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, type ExampleCopy } from '../../support/example';
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { WorkspaceLoader } from '../../../src/core/workspace/load';
import { openReadOnly, type ReadOnlyWarehouse } from '../../../src/core/warehouse/readOnly';
import { quoteIdent } from '../../../src/core/warehouse/relations';
import { applyChanges } from '../../../src/core/edits/apply';
import type { EditEngine } from '../../../src/core/edits/refactorContext';
import { catalogTableOf } from '../../../src/core/edits/refactorCatalog';
import { reviewModel, type UniquenessProbe } from '../../../src/core/edits/review';

function engineFor(dir: string): EditEngine {
  const loader = new WorkspaceLoader(dir, { noHistory: true });
  return { snapshot: () => loader.load() };
}

const MART = 'models/marts/finance/order_payment_lines.sql';
const MART_SQL = [
  "{{ config(materialized='incremental') }}",
  '',
  "with orders as (select * from {{ ref('fct_orders') }}),",
  "payments as (select * from {{ ref('stg_billing__payments') }})",
  '',
  'select *',
  'from orders',
  'join payments on orders.order_id = payments.order_id',
  'join raw.raw_customers c on c.id = orders.customer_id',
  'left join analytics.legacy_targets t on t.customer_id = orders.customer_id',
  '',
].join('\n');

describe('review a model', () => {
  let ex: ExampleCopy;
  let wh: ReadOnlyWarehouse;
  let probe: UniquenessProbe;
  before(async () => {
    ex = copyExample({ history: false });
    await ensureExampleWarehouse(ex.dir);
    fs.writeFileSync(path.join(ex.dir, MART), MART_SQL);
    wh = await openReadOnly(path.join(ex.dir, 'shopwise.duckdb'));
    const snap = await engineFor(ex.dir).snapshot();
    // Profiling on the real warehouse: is the relation unique on the columns?
    probe = async (node, cols) => {
      const t = catalogTableOf(snap, node);
      if (!t) return undefined;
      const list = cols.map(quoteIdent).join(', ');
      const r = await wh.query(`select count(*) = count(distinct (${list})) from ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
      return r.rows[0][0] === true;
    };
  });
  after(() => {
    wh.close();
    ex.cleanup();
  });

  test('a problematic mart: every rule fires, with locations and a validated fix for the hard-coded relation', async () => {
    const r = await reviewModel(engineFor(ex.dir), 'order_payment_lines', { probe });
    assert.deepEqual(r.problems, []);
    const by = (rule: string) => r.findings.filter(f => f.rule === rule);
    assert.equal(by('undocumented-model').length, 1);
    assert.match(by('undocumented-model')[0].message, /no YAML entry/);
    assert.equal(by('untested-key').length, 1);

    const star = by('select-star-in-mart');
    assert.equal(star.length, 1);
    assert.equal(star[0].location.startLine, 6);
    assert.match(star[0].message, /\{\{ ref\('fct_orders'\) \}\}.*\{\{ ref\('stg_billing__payments'\) \}\}.*raw\.raw_customers/);

    const hard = by('hard-coded-relation');
    assert.deepEqual(hard.map(f => [f.severity, f.location.startLine]), [['warning', 9], ['info', 10]]);
    const fix = hard[0].fix!;
    assert.deepEqual(fix.problems, []);
    const fixed = applyChanges(new Map([[MART, MART_SQL]]), fix.changes).files.get(MART)!;
    assert.equal(fixed, MART_SQL.replace('join raw.raw_customers c', "join {{ source('shop', 'customers') }} c"));
    assert.equal(hard[1].fix, undefined);

    const fan = by('fan-out-join');
    assert.equal(fan.length, 1, 'payments are many per order; customers are unique by id');
    assert.equal(fan[0].severity, 'warning');
    assert.equal(fan[0].location.startLine, 8);
    assert.match(fan[0].message, /duplicate order_id in stg_billing__payments/);

    assert.equal(by('incremental-without-unique-key').length, 1);
    assert.equal(by('incremental-without-unique-key')[0].fix, undefined, 'no tested key: nothing deterministic to propose');
    assert.equal(by('incremental-without-filter').length, 1);
    assert.ok(r.findings.every(f => f.location.path === MART));
    const severities = r.findings.map(f => f.severity);
    assert.deepEqual(severities, [...severities].sort((a, b) => (a === b ? 0 : a === 'warning' ? -1 : 1)), 'warnings first');
  });

  test('without profiling the fan-out is advisory only (info)', async () => {
    const r = await reviewModel(engineFor(ex.dir), 'order_payment_lines');
    const fan = r.findings.filter(f => f.rule === 'fan-out-join');
    assert.equal(fan.length, 1);
    assert.equal(fan[0].severity, 'info');
    assert.match(fan[0].message, /nothing says stg_billing__payments is unique on it/);
  });

  test('an incremental model that lost its unique_key gets a fix that restores it from its unique test', async () => {
    const rel = 'models/marts/core/fct_orders.sql';
    const original = fs.readFileSync(path.join(ex.dir, rel), 'utf8');
    const broken = original.replace("        unique_key='order_id',\n", '');
    assert.notEqual(broken, original);
    fs.writeFileSync(path.join(ex.dir, rel), broken);
    try {
      const r = await reviewModel(engineFor(ex.dir), 'fct_orders');
      const f = r.findings.find(x => x.rule === 'incremental-without-unique-key')!;
      assert.equal(f.severity, 'warning');
      assert.equal(f.location.startLine, 1);
      assert.deepEqual(f.fix!.problems, []);
      const out = applyChanges(new Map([[rel, broken]]), f.fix!.changes).files.get(rel);
      assert.equal(out, original.replace("materialized='incremental',\n        unique_key='order_id',", "unique_key='order_id',\n        materialized='incremental',"));
    } finally {
      fs.writeFileSync(path.join(ex.dir, rel), original);
    }
  });

  test('a well-kept staging model has no warnings', async () => {
    const r = await reviewModel(engineFor(ex.dir), 'models/staging/shop/stg_shop__orders.sql', { probe });
    assert.deepEqual(r.findings.filter(f => f.severity === 'warning'), []);
    const missing = await reviewModel(engineFor(ex.dir), 'nope');
    assert.match(missing.problems[0].message, /No model "nope"/);
  });
});
