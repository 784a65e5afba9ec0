import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyExample, type ExampleCopy } from '../../support/example';
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { Engine } from '../../../src/core/engine';
import { WorkspaceLoader } from '../../../src/core/workspace/load';
import { discoverProjects } from '../../../src/core/dbt/discover';
import { parseProjectFiles } from '../../../src/core/dbt/parse';
import { buildLocalWarehouse } from '../../../src/core/warehouse/localBuild';
import { readDuckDbCatalog } from '../../../src/core/warehouse/duckdb';
import { applyChanges } from '../../../src/core/edits/apply';
import type { EditPlan } from '../../../src/core/edits/types';
import type { EditEngine } from '../../../src/core/edits/refactorContext';
import { planStagingModel, snakeCase, singular } from '../../../src/core/edits/staging';
import { readTree } from './refactor-project';

const FLAT = path.resolve(__dirname, '../../fixtures/edits/staging-flat');

function engineFor(dir: string): EditEngine {
  const loader = new WorkspaceLoader(dir, { noHistory: true });
  return { snapshot: () => loader.load() };
}

function applyToDisk(dir: string, plan: EditPlan): void {
  const r = applyChanges(readTree(dir), plan.changes);
  assert.deepEqual(r.problems, []);
  for (const [p, t] of r.files) {
    if (t === null) fs.rmSync(path.join(dir, p));
    else { fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true }); fs.writeFileSync(path.join(dir, p), t); }
  }
}

describe('staging model on the example project: a new source table arrives', () => {
  let ex: ExampleCopy;
  let engine: Engine;
  let indexDir: string;
  before(async () => {
    ex = copyExample({ history: false });
    // A new raw table (loaded as a seed, like the others) declared in the shop source.
    fs.writeFileSync(path.join(ex.dir, 'seeds/raw_refunds.csv'), [
      'id,order_id,RefundedAt,amount_cents,is_partial,reason,_loaded_at',
      '1,3,2025-02-01 10:00:00,1200,true,damaged,2025-02-02 00:00:00',
      '2,7,2025-03-05 12:30:00,4599,false,not as described,2025-03-06 00:00:00',
    ].join('\n') + '\n');
    const sources = path.join(ex.dir, 'models/staging/shop/_shop__sources.yml');
    fs.appendFileSync(sources, [
      '', '      - name: refunds', '        identifier: raw_refunds', '        description: One row per refund issued by support.',
      '        columns:', '          - name: id', '            description: Refund id.', '            data_tests: [unique, not_null]',
      '          - name: reason', '            description: Why the customer was refunded, as typed by support.', '',
    ].join('\n'));
    await ensureExampleWarehouse(ex.dir);
    indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-staging-index-'));
    engine = await Engine.open({ workspace: ex.dir, indexDir, noHistory: true, embedding: { kind: 'hashed' } });
  });
  after(async () => {
    await engine.close();
    ex.cleanup();
    fs.rmSync(indexDir, { recursive: true, force: true });
  });

  test('follows the example conventions: stg_shop__refunds in models/staging/shop, source/renamed CTEs, casts, YAML with tests', async () => {
    const yamlPath = 'models/staging/shop/_shop__models.yml';
    const yamlBefore = fs.readFileSync(path.join(ex.dir, yamlPath), 'utf8');
    const plan = await planStagingModel(engine, 'shop', 'refunds');
    assert.deepEqual(plan.problems, []);
    const sql = plan.changes.find(c => c.kind === 'create');
    assert.ok(sql?.kind === 'create');
    assert.equal(sql.path, 'models/staging/shop/stg_shop__refunds.sql');
    assert.match(sql.text, /^with source as \(\n\n {4}select \* from \{\{ source\('shop', 'refunds'\) \}\}\n\n\),\n\nrenamed as \(\n\n {4}select\n/);
    for (const line of ['cast(id as integer) as refund_id,', 'cast(order_id as integer) as order_id,', 'cast("RefundedAt" as timestamp) as refunded_at,',
      'cast(is_partial as boolean) as is_partial,', 'reason,', 'cast(_loaded_at as timestamp) as _loaded_at\n']) {
      assert.ok(sql.text.includes(`        ${line}`), `missing ${line}`);
    }
    assert.match(sql.text, /\n {4}from source\n\n\)\n\nselect \* from renamed\n$/);

    const yaml = plan.changes.find(c => c.kind === 'modify');
    assert.ok(yaml?.kind === 'modify' && yaml.path === yamlPath && yaml.edits.length === 1);
    assert.equal(yaml.edits[0].start, yaml.edits[0].end, 'an insertion: no existing byte is replaced');
    const entry = yaml.edits[0].newText;
    assert.match(entry, /^\n\n {2}- name: stg_shop__refunds\n {4}description: "?Staged shop\.refunds: .*One row per refund issued by support\./);
    assert.match(entry, /\n {6}- name: refund_id\n {8}description: Refund id\.\n {8}data_tests:\n {10}- unique\n {10}- not_null\n/);
    assert.match(entry, /\n {6}- name: reason\n {8}description: Why the customer was refunded, as typed by support\.\n/);

    applyToDisk(ex.dir, plan);
    const after = fs.readFileSync(path.join(ex.dir, yamlPath), 'utf8');
    assert.ok(after.startsWith(yamlBefore.trimEnd()), 'the existing entries are untouched');
    const { projects } = await discoverProjects(ex.dir);
    const project = await parseProjectFiles(ex.dir, projects[0]);
    assert.ok(project.nodes.some(n => n.uniqueId === 'model.shopwise.stg_shop__refunds' && n.yamlLocation?.path === yamlPath));
    const db = path.join(ex.dir, 'check.duckdb');
    const built = await buildLocalWarehouse(project, ex.dir, db, { targetSchema: 'main' });
    assert.deepEqual(built.failed, []);
    const cat = await readDuckDbCatalog(db);
    const view = cat.tables.find(t => t.name === 'stg_shop__refunds')!;
    assert.deepEqual(view.columns.map(c => `${c.name}:${c.type}`),
      ['refund_id:INTEGER', 'order_id:INTEGER', 'refunded_at:TIMESTAMP', 'amount_cents:BIGINT', 'is_partial:BOOLEAN', 'reason:VARCHAR', '_loaded_at:TIMESTAMP']);
  });

  test('an unknown table is refused with the tables the source has', async () => {
    const plan = await planStagingModel(engine, 'shop', 'returns');
    assert.equal(plan.changes.length, 0);
    assert.match(plan.problems[0].message, /No source table shop\.returns.*Source shop has: customers, order_items, orders, products, refunds/);
  });
});

describe('staging model in a project with another convention (flat folder, stg_<table>, UPPER keywords, tests:)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-staging-flat-'));
    fs.cpSync(FLAT, dir, { recursive: true });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('learns the layout and writes the model and its YAML that way', async () => {
    const schemaBefore = fs.readFileSync(path.join(dir, 'models/staging/schema.yml'), 'utf8');
    const plan = await planStagingModel(engineFor(dir), 'crm', 'invoices');
    assert.deepEqual(plan.problems, []);
    const sql = plan.changes.find(c => c.kind === 'create');
    assert.ok(sql?.kind === 'create');
    assert.equal(sql.path, 'models/staging/stg_invoices.sql');
    assert.equal(sql.text, [
      'WITH src AS (',
      "  SELECT * FROM {{ source('crm', 'invoices') }}",
      '),',
      'final AS (',
      '  SELECT',
      '    cast("InvoiceID" AS bigint) AS invoice_id,',
      '    cast("CustomerID" AS bigint) AS customer_id,',
      '    cast("InvoiceDate" AS date) AS invoice_date,',
      '    cast("IsPaid" AS boolean) AS is_paid,',
      '    cast("Open" AS boolean) AS is_open,',
      '    "Amount" AS amount,',
      '    cast("CreatedAt" AS timestamp) AS created_at,',
      '    "Billing Note" AS billing_note',
      '  FROM src',
      ')',
      'SELECT * FROM final',
      '',
    ].join('\n'));
    assert.match(plan.explanation, /name pattern `stg_\{table\}` \(2 of 2 staging models\)/);
    assert.match(plan.explanation, /tests under `tests:`/);

    applyToDisk(dir, plan);
    const schema = fs.readFileSync(path.join(dir, 'models/staging/schema.yml'), 'utf8');
    assert.equal(schema.slice(0, schemaBefore.trimEnd().length), schemaBefore.trimEnd(), 'comments and entries before stay byte-identical');
    assert.equal(schema.slice(schemaBefore.trimEnd().length), [
      '', '- name: stg_invoices',
      '  description: "Staged crm.invoices: columns renamed to snake_case and cast to their types. One row per invoice sent by the billing module."',
      '  columns:', '  - name: invoice_id', '    description: Invoice number.', '    tests:', '    - unique', '    - not_null',
      '  - name: customer_id', '    description: Customer billed.', '  - name: invoice_date', '  - name: is_paid', '  - name: is_open',
      '    description: Still awaiting payment.', '  - name: amount', '  - name: created_at', '  - name: billing_note', '',
    ].join('\n'));
    const snap = await engineFor(dir).snapshot();
    const node = snap.graph.get('model.flatco.stg_invoices')!;
    assert.deepEqual(node.sources, [{ source: 'crm', table: 'invoices' }]);
    assert.deepEqual(node.columns.find(c => c.name === 'invoice_id')!.tests.map(t => t.name), ['unique', 'not_null']);
  });

  test('a project without staging models gets the style-guide defaults and a new YAML file', async () => {
    fs.rmSync(path.join(dir, 'models/staging/stg_customers.sql'));
    fs.rmSync(path.join(dir, 'models/staging/stg_orders.sql'));
    fs.rmSync(path.join(dir, 'models/staging/stg_invoices.sql'));
    fs.rmSync(path.join(dir, 'models/staging/schema.yml'));
    const plan = await planStagingModel(engineFor(dir), 'crm', 'orders');
    assert.deepEqual(plan.changes.map(c => `${c.kind} ${c.path}`), ['create models/staging/crm/stg_crm__orders.sql', 'create models/staging/crm/_crm__models.yml']);
    const yaml = plan.changes[1];
    assert.ok(yaml.kind === 'create');
    assert.match(yaml.text, /^version: 2\n\nmodels:\n {2}- name: stg_crm__orders\n/);
    assert.match(yaml.text, /\n {4}columns:\n {6}- name: order_id\n {6}- name: customer_id\n$/);
    assert.match(plan.explanation, /no staging model to learn from/);
  });
});

describe('staging name helpers', () => {
  test('snake_case and singular', () => {
    assert.deepEqual(['OrderID', 'createdAt', 'Billing Note', '_loaded_at', 'SKU', 'HTTPStatusCode'].map(snakeCase),
      ['order_id', 'created_at', 'billing_note', '_loaded_at', 'sku', 'http_status_code']);
    assert.deepEqual(['order_items', 'categories', 'addresses', 'status', 'boxes', 'customer'].map(singular),
      ['order_item', 'category', 'address', 'status', 'box', 'customer']);
  });
});
