import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, type ExampleCopy } from '../../support/example';
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { WorkspaceLoader } from '../../../src/core/workspace/load';
import { openReadOnly, type ReadOnlyWarehouse } from '../../../src/core/warehouse/readOnly';
import { applyChanges } from '../../../src/core/edits/apply';
import type { EditEngine } from '../../../src/core/edits/refactorContext';
import { parseRunResults, readRunFailures, type Failure } from '../../../src/core/edits/runResults';
import { explainFailure, type QueryRunner } from '../../../src/core/edits/runResultsExplain';

const FIX = path.resolve(__dirname, '../../fixtures/edits/runResults-shopwise');
const V6 = fs.readFileSync(path.join(FIX, 'run_results_v6.json'), 'utf8');
const V4 = fs.readFileSync(path.join(FIX, 'run_results_v4.json'), 'utf8');
const MODELS_YML = 'models/staging/shop/_shop__models.yml';
const LONG_TEST_FILE = 'target/compiled/shopwise/models/staging/shop/_shop__models.yml/accepted_values_stg_shop__orde_3f9a2c51d07e4b6a8e1c5d9b2a7f0c43.sql';

function engineFor(dir: string): EditEngine {
  const loader = new WorkspaceLoader(dir, { noHistory: true });
  return { snapshot: () => loader.load() };
}

describe('run_results.json parsing', () => {
  test('dbt 1.9 (schema v6) and dbt 1.5 (schema v4) shapes', () => {
    const v6 = parseRunResults(V6);
    assert.deepEqual([v6.schemaVersion?.endsWith('v6.json'), v6.dbtVersion, v6.command, v6.results.length, v6.problems], [true, '1.9.1', 'build', 9, []]);
    const acc = v6.results.find(r => r.uniqueId.startsWith('test.shopwise.accepted_values'))!;
    assert.deepEqual([acc.status, acc.failures, acc.resourceType], ['fail', 1, 'test']);
    assert.match(acc.compiledCode!, /value_field not in/);
    const v4 = parseRunResults(V4);
    assert.deepEqual([v4.dbtVersion, v4.command, v4.results.length], ['1.5.4', 'test', 3]);
    assert.equal(v4.results[0].compiledCode, undefined);
  });

  test('dbt 1.7 (schema v5): compiled code and relation name per result', () => {
    const v5 = parseRunResults(JSON.stringify({
      metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v5.json', dbt_version: '1.7.11', generated_at: '2024-09-01T05:00:00Z', invocation_id: 'x', env: {} },
      results: [{ status: 'error', timing: [], thread_id: 'Thread-1', execution_time: 0.2, adapter_response: {}, message: 'Database Error in model dim_customers', failures: null,
        unique_id: 'model.shopwise.dim_customers', compiled: true, compiled_code: 'select 1', relation_name: '"shopwise"."marts"."dim_customers"' }],
      elapsed_time: 1.1, args: { which: 'run' },
    }));
    assert.deepEqual(v5.problems, []);
    assert.deepEqual([v5.dbtVersion, v5.results[0].relationName, v5.results[0].compiledCode], ['1.7.11', '"shopwise"."marts"."dim_customers"', 'select 1']);
    const v2 = parseRunResults(JSON.stringify({ metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v2.json' }, results: [] }));
    assert.match(v2.problems[0].message, /outside v4–v6/);
  });

  test('broken files become problems', () => {
    assert.match(parseRunResults('{"results": [').problems[0].message, /not valid JSON/);
    assert.match(parseRunResults('{"metadata": {}}').problems[0].message, /no `results` list/);
    const odd = parseRunResults('{"results": [{"status": "pass"}, {"unique_id": "model.a.b", "status": "success"}]}');
    assert.equal(odd.results.length, 1);
    assert.match(odd.problems[0].message, /results\[0\] has no unique_id/);
  });
});

describe('failures of a dbt build on the example, explained', () => {
  let ex: ExampleCopy;
  let wh: ReadOnlyWarehouse;
  let query: QueryRunner;
  let yamlOriginal: string;
  let engine: EditEngine;
  before(async () => {
    ex = copyExample({ history: false });
    await ensureExampleWarehouse(ex.dir);
    // The project's accepted list lacks 'cancelled' (the data has it): the situation the run recorded.
    yamlOriginal = fs.readFileSync(path.join(ex.dir, MODELS_YML), 'utf8');
    const without = yamlOriginal.replace("values: ['placed', 'shipped', 'completed', 'returned', 'cancelled']", "values: ['placed', 'shipped', 'completed', 'returned']");
    assert.notEqual(without, yamlOriginal);
    fs.writeFileSync(path.join(ex.dir, MODELS_YML), without);
    fs.mkdirSync(path.join(ex.dir, path.dirname(LONG_TEST_FILE)), { recursive: true });
    fs.writeFileSync(path.join(ex.dir, LONG_TEST_FILE), 'select 1\n');
    fs.writeFileSync(path.join(ex.dir, 'target/run_results.json'), V6);
    wh = await openReadOnly(path.join(ex.dir, 'shopwise.duckdb'));
    query = async sql => {
      const r = await wh.query(sql);
      return { columns: r.columns.map(c => c.name), rows: r.rows };
    };
    engine = engineFor(ex.dir);
  });
  after(() => {
    wh.close();
    ex.cleanup();
  });

  async function failures(): Promise<Failure[]> {
    const r = await readRunFailures(engine);
    assert.deepEqual(r.problems, []);
    return r.failures;
  }

  test('failing, warning and skipped nodes are tied to the model and column they cover, with the compiled SQL path', async () => {
    const fs_ = await failures();
    const row = (f: Failure) => [f.result.status, f.testName ?? f.result.resourceType, f.covers?.name ?? f.node?.name, f.column ?? ''];
    assert.deepEqual(fs_.map(row), [
      ['fail', 'accepted_values', 'stg_shop__orders', 'order_status'],
      ['fail', 'relationships', 'stg_shop__orders', 'customer_id'],
      ['warn', 'unique', 'stg_shop__customers', 'email'],
      ['error', 'model', 'int_order_totals', ''],
      ['skipped', 'model', 'fct_orders', ''],
    ]);
    assert.equal(fs_[0].compiledPath, LONG_TEST_FILE, 'a long test name: the shortened file on disk');
    assert.equal(fs_[0].compiledExists, true);
    assert.equal(fs_[2].compiledPath, 'target/compiled/shopwise/models/staging/shop/_shop__models.yml/unique_stg_shop__customers_email.sql');
    assert.equal(fs_[3].compiledPath, 'target/compiled/shopwise/models/intermediate/int_order_totals.sql');
    assert.equal(fs_[3].compiledExists, false);
  });

  test('accepted_values failing on a new value: the data names the value and a plan adds it, flagged for judgement', async () => {
    const acc = (await failures())[0];
    const e = await explainFailure(engine, acc, { query });
    assert.equal(e.needsJudgement, true);
    assert.match(e.markdown, /values outside the accepted list/);
    assert.match(e.markdown, /Now: cancelled \| \d+/);
    assert.ok(e.citations.some(c => c.path === MODELS_YML && c.kind === 'test'));
    const plan = e.plan!;
    assert.deepEqual(plan.problems.map(p => p.severity), ['warning']);
    assert.match(plan.problems[0].message, /human judgement/);
    const r = applyChanges(new Map([[MODELS_YML, fs.readFileSync(path.join(ex.dir, MODELS_YML), 'utf8')]]), plan.changes);
    assert.equal(r.files.get(MODELS_YML), yamlOriginal, 'exactly the value is added, in the list\'s own style');
  });

  test('without a warehouse the same failure gives the query to run and no plan', async () => {
    const acc = (await failures())[0];
    const e = await explainFailure(engine, acc);
    assert.equal(e.plan, undefined);
    assert.match(e.queries[0].sql, /select order_status as value, count\(\*\) as n_records\nfrom "shopwise"\."staging"\."stg_shop__orders"\nwhere order_status not in \('placed', 'shipped', 'completed', 'returned'\)/);
  });

  test('relationships failure: the orphan-count query against both relations, run when possible', async () => {
    const rel = (await failures())[1];
    const e = await explainFailure(engine, rel, { query });
    assert.equal(e.plan, undefined);
    assert.equal(e.queries[0].purpose, 'how many orphans there are now');
    assert.equal(e.queries[0].sql, 'select count(*) as orphans\nfrom "shopwise"."staging"."stg_shop__orders" as child\nleft join "shopwise"."staging"."stg_shop__customers" as parent\n' +
      '    on child.customer_id = parent.customer_id\nwhere child.customer_id is not null\n  and parent.customer_id is null');
    assert.deepEqual(e.queries[0].result?.rows, [[0]]);
    assert.match(e.markdown, /orphans/);
    const marker = /`stg_shop__customers\.customer_id` \[(\d+)\]/.exec(e.markdown)!;
    assert.equal(e.citations[Number(marker[1]) - 1].nodeId, 'model.shopwise.stg_shop__customers', 'the [n] marker points at its citation');
  });

  test('a model error names the missing column, the close names upstream and where the model uses it', async () => {
    const err = (await failures())[3];
    const e = await explainFailure(engine, err);
    assert.match(e.markdown, /reads a column `net_amount_cents` that its inputs do not have/);
    assert.match(e.markdown, /`int_order_items_enriched\.net_cents`/);
    assert.match(e.markdown, /line 14 of the compiled SQL/);
    assert.ok(e.citations.some(c => c.nodeId === 'model.shopwise.int_order_items_enriched'));
  });

  test('a skipped model points at the upstream failure of the same run', async () => {
    const r = await readRunFailures(engine);
    const e = await explainFailure(engine, r.failures[4], { run: r.run });
    assert.match(e.markdown, /Skipped because model `int_order_totals` failed upstream/);
  });

  test('dbt 1.5 results (no compiled code): a not_null failure and a singular test error', async () => {
    fs.writeFileSync(path.join(ex.dir, 'target/run_results_15.json'), V4);
    const r = await readRunFailures(engine, { path: 'target/run_results_15.json' });
    assert.deepEqual(r.failures.map(f => [f.testName, f.covers?.name, f.column, f.reads.map(n => n.name).sort()]), [
      ['not_null', 'stg_billing__payments', 'order_id', ['stg_billing__payments']],
      ['assert_order_totals_match_payments', 'fct_orders', undefined, ['fct_orders']],
    ]);
    const e = await explainFailure(engine, r.failures[0], { query });
    assert.match(e.queries[0].sql, /where order_id is null/);
    assert.deepEqual(e.queries[0].result?.rows, [[0]]);
    const singular = await explainFailure(engine, r.failures[1]);
    assert.match(singular.markdown, /relation it reads \(`fct_orders`\) does not exist in the warehouse: build the parents first/);
    const missing = await readRunFailures(engine, { path: 'target/nope.json' });
    assert.match(missing.problems[0].message, /does not exist: run `dbt build`/);
  });
});
