// Convention detection on small projects laid out in different ways, and documentation plans that follow them.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverProjects } from '../../../src/core/dbt/discover';
import { parseProjectFiles } from '../../../src/core/dbt/parse';
import { Engine } from '../../../src/core/engine';
import { applyChanges } from '../../../src/core/edits/apply';
import { learnConventionsFrom, minimumDbtVersion, placeEntry, projectYamlFiles, type ProjectConventions } from '../../../src/core/edits/conventions';
import { diskReader } from '../../../src/core/edits/documentContext';
import { planDocumentation } from '../../../src/core/edits/document';
import type { DbtNode } from '../../../src/core/types';

const LAYOUTS = path.resolve(__dirname, '../../fixtures/edits/layouts');
const temps: string[] = [];
after(() => { for (const t of temps) fs.rmSync(t, { recursive: true, force: true }); });

async function learn(layout: string): Promise<{ conv: ProjectConventions; node: (name: string) => DbtNode; roots: string[] }> {
  const ws = path.join(LAYOUTS, layout);
  const { projects } = await discoverProjects(ws);
  const info = projects[0];
  const parsed = await parseProjectFiles(ws, info);
  const conv = learnConventionsFrom(info, await projectYamlFiles(ws, info, diskReader(ws)), parsed.nodes);
  const node = (name: string) => {
    const n = parsed.nodes.find(x => x.name === name && x.resourceType !== 'test');
    assert.ok(n, `${name} in ${layout}`);
    return n;
  };
  return { conv, node, roots: [...info.modelPaths, ...info.seedPaths, ...info.snapshotPaths] };
}

/** A private copy of a layout with an engine over it. */
async function open(layout: string): Promise<{ dir: string; engine: Engine }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dea-conv-${layout}-`));
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-conv-idx-'));
  temps.push(dir, indexDir);
  fs.cpSync(path.join(LAYOUTS, layout), dir, { recursive: true });
  const engine = await Engine.open({ workspace: dir, indexDir, embedding: { kind: 'hashed' }, noHistory: true });
  await engine.refresh();
  return { dir, engine };
}

function resultText(plan: Awaited<ReturnType<typeof planDocumentation>>, rel: string, dir: string): string {
  const texts = new Map<string, string>();
  if (fs.existsSync(path.join(dir, rel))) texts.set(rel, fs.readFileSync(path.join(dir, rel), 'utf8'));
  const r = applyChanges(texts, plan.changes);
  assert.deepEqual(r.problems, []);
  const t = r.files.get(rel);
  assert.equal(typeof t, 'string', `${rel} is changed by the plan`);
  return t as string;
}

describe('convention detection', () => {
  test('per-folder files named like the dbt style guide; data_tests from usage', async () => {
    const { conv, node, roots } = await learn('per_folder');
    assert.deepEqual(conv.placement.models, { kind: 'per-folder', template: '_{folder}__models.yml' });
    assert.equal(conv.testsKey, 'data_tests');
    assert.match(conv.testsKeyReason, /uses `data_tests:` 1 time/);
    assert.equal(placeEntry(conv, node('stg_payments'), roots).path, 'models/staging/_staging__models.yml');
    assert.equal(placeEntry(conv, node('revenue'), roots).path, 'models/finance/_finance__models.yml');
    assert.equal(conv.style.seqIndent, 2);
    assert.equal(conv.style.mapIndent, 2);
  });

  test('schema.yml per folder with `tests:`, four spaces, lists at the key column, alphabetical columns and data types', async () => {
    const { conv, node, roots } = await learn('schema_yml');
    assert.deepEqual(conv.placement.models, { kind: 'per-folder', template: 'schema.yml' });
    assert.equal(conv.testsKey, 'tests');
    assert.equal(conv.columnOrder, 'alphabetical');
    assert.equal(conv.dataTypes, true);
    assert.equal(conv.style.mapIndent, 4);
    assert.equal(conv.style.seqIndent, 0);
    assert.equal(conv.style.dashGap, 4);
    assert.equal(conv.style.quote, 'double');
    // The ops folder's schema.yml holds only sources: the model goes there all the same (its name is the pattern).
    assert.equal(placeEntry(conv, node('ops_log'), roots).path, 'models/ops/schema.yml');
    assert.equal(placeEntry(conv, node('daily'), roots).path, 'models/reporting/schema.yml');
  });

  test('one YAML file per model, named after it', async () => {
    const { conv, node, roots } = await learn('per_model');
    assert.deepEqual(conv.placement.models, { kind: 'per-node', template: '{name}.yml' });
    assert.equal(placeEntry(conv, node('payments'), roots).path, 'models/shop/payments.yml');
    assert.equal(placeEntry(conv, node('refunds'), roots).path, 'models/other/refunds.yml');
    assert.equal(conv.style.versionHeader, false);
  });

  test('one big file for every folder', async () => {
    const { conv, node, roots } = await learn('single_file');
    assert.deepEqual(conv.placement.models, { kind: 'single', path: 'models/schema.yml' });
    for (const n of ['mart_c', 'new_d']) assert.equal(placeEntry(conv, node(n), roots).path, 'models/schema.yml');
  });

  test('no YAML at all: the style guide default, `_models.yml` at the root, `tests:` for dbt before 1.8', async () => {
    const { conv, node, roots } = await learn('bare');
    assert.equal(conv.testsKey, 'tests');
    assert.match(conv.testsKeyReason, /require-dbt-version >=1\.5\.0, <2\.0\.0 allows dbt before 1\.8/);
    assert.equal(placeEntry(conv, node('top'), roots).path, 'models/_models.yml');
    assert.equal(placeEntry(conv, node('inner_model'), roots).path, 'models/sub/_sub__models.yml');
    assert.equal(placeEntry(conv, node('codes'), roots).path, 'seeds/_seeds.yml');
  });

  test('minimumDbtVersion reads require-dbt-version ranges', () => {
    assert.deepEqual(minimumDbtVersion('>=1.9.0, <2.0.0'), [1, 9]);
    assert.deepEqual(minimumDbtVersion('1.7.3'), [1, 7]);
    assert.equal(minimumDbtVersion('<2.0.0'), undefined);
    assert.equal(minimumDbtVersion(undefined), undefined);
  });
});

describe('documentation follows the conventions', () => {
  test('per folder: a model of a new folder gets a new _<folder>__models.yml; upstream descriptions are inherited', async () => {
    const { dir, engine } = await open('per_folder');
    try {
      const plan = await planDocumentation(engine, 'revenue');
      assert.deepEqual(plan.problems, []);
      assert.deepEqual(plan.changes.map(c => [c.kind, c.path]), [['create', 'models/finance/_finance__models.yml']]);
      assert.equal(resultText(plan, 'models/finance/_finance__models.yml', dir),
        'version: 2\n\nmodels:\n  - name: revenue\n    columns:\n      - name: order_id\n        description: The order.\n      - name: buyer_id\n');
      // A model of a folder that has its file goes into it.
      const stg = await planDocumentation(engine, 'stg_payments');
      assert.deepEqual(stg.changes.map(c => [c.kind, c.path]), [['modify', 'models/staging/_staging__models.yml']]);
      assert.match(resultText(stg, 'models/staging/_staging__models.yml', dir), /        description: The customer\.\n  - name: stg_payments\n    columns:\n      - name: payment_id\n      - name: order_id\n      - name: amount\n$/);
    } finally { await engine.close(); }
  });

  test('schema.yml style: alphabetical columns, four spaces, `tests:`-style file, model list added to a sources-only file', async () => {
    const { dir, engine } = await open('schema_yml');
    try {
      const daily = await planDocumentation(engine, 'daily');
      assert.deepEqual(daily.problems, []);
      assert.equal(resultText(daily, 'models/reporting/schema.yml', dir),
        'version: 2\n\nmodels:\n-   name: daily\n    columns:\n    -   name: amount\n    -   name: customer_id\n    -   name: order_id\n');
      const ops = await planDocumentation(engine, 'ops_log');
      assert.deepEqual(ops.problems, []);
      const before = fs.readFileSync(path.join(dir, 'models/ops/schema.yml'), 'utf8');
      assert.equal(resultText(ops, 'models/ops/schema.yml', dir), `${before}\nmodels:\n-   name: ops_log\n    columns:\n    -   name: id\n`);
    } finally { await engine.close(); }
  });

  test('per model: a new <model>.yml beside the model, without `version: 2` like its siblings', async () => {
    const { dir, engine } = await open('per_model');
    try {
      const plan = await planDocumentation(engine, 'payments');
      assert.deepEqual(plan.problems, []);
      assert.equal(resultText(plan, 'models/shop/payments.yml', dir), 'models:\n  - name: payments\n    columns:\n      - name: payment_id\n      - name: order_id\n');
    } finally { await engine.close(); }
  });
});
