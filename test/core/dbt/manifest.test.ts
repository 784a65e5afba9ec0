import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DbtNode, DbtProjectInfo, ParsedProject } from '../../../src/core/types';
import {
  ArtifactError, manifestIsFresh, readCatalog, readJsonAtomically, readManifestProject,
} from '../../../src/core/dbt/manifest';
import { LineageGraph } from '../../../src/core/dbt/graph';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'manifest');
const temps: string[] = [];
after(() => { for (const t of temps) fs.rmSync(t, { recursive: true, force: true }); });

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-manifest-'));
  temps.push(d);
  return d;
}

function info(name: string, root: string): DbtProjectInfo {
  // Every path of a DbtProjectInfo is workspace-relative, as discovery writes them.
  const at = (dir: string) => (root ? `${root}/${dir}` : dir);
  return {
    name, root, configPath: at('dbt_project.yml'),
    modelPaths: [at('models')], seedPaths: [at('seeds')], macroPaths: [at('macros')], snapshotPaths: [at('snapshots')],
    testPaths: [at('tests')], analysisPaths: [at('analyses')], docsPaths: [], targetPath: at('target'), resourceConfigs: {}, vars: {},
  };
}

/** 1-based line of the first line of `file` (workspace-relative) containing `needle`. */
function lineOf(file: string, needle: string, from = 1): number {
  const lines = fs.readFileSync(path.join(FIX, file), 'utf8').split('\n');
  const i = lines.findIndex((l, n) => n + 1 >= from && l.includes(needle));
  assert.ok(i >= 0, `${needle} in ${file}`);
  return i + 1;
}

function linesIn(file: string): number {
  return fs.readFileSync(path.join(FIX, file), 'utf8').replace(/\n$/, '').split('\n').length;
}

const byId = (p: ParsedProject, id: string): DbtNode => {
  const n = p.nodes.find(x => x.uniqueId === id);
  assert.ok(n, `${id} converted`);
  return n;
};

async function rejectsWith(p: Promise<unknown>, problem: string, message: RegExp): Promise<ArtifactError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ArtifactError, String(e));
    assert.equal(e.problem, problem);
    assert.match(e.message, message);
    return e;
  }
  assert.fail('expected a rejection');
}

// ------------------------------------------------------------------ readJsonAtomically

describe('readJsonAtomically', () => {
  const INCOMPLETE = /target\/manifest\.json is incomplete — dbt may still be writing it; try again after the run finishes/;

  test('parses a complete file', async () => {
    const v = await readJsonAtomically<{ metadata: { dbt_version: string } }>(path.join(FIX, 'jaffle_v12/target/manifest.json'));
    assert.equal(v.metadata.dbt_version, '1.8.7');
  });

  test('a truncated manifest is retried, then reported clearly', async () => {
    const t0 = performance.now();
    await rejectsWith(readJsonAtomically(path.join(FIX, 'truncated/target/manifest.json'), { retries: 3, delayMs: 25 }), 'incomplete', INCOMPLETE);
    assert.ok(performance.now() - t0 >= 70, 'waited between the 4 attempts');
  });

  test('default is 5 retries 200 ms apart', async () => {
    const t0 = performance.now();
    await rejectsWith(readJsonAtomically(path.join(FIX, 'truncated/target/manifest.json')), 'incomplete', INCOMPLETE);
    const took = performance.now() - t0;
    assert.ok(took >= 950 && took < 5000, `took ${took.toFixed(0)} ms`);
  });

  test('a missing file fails at once', async () => {
    const t0 = performance.now();
    await rejectsWith(readJsonAtomically(path.join(tempDir(), 'target', 'manifest.json'), { delayMs: 500 }), 'missing', /target\/manifest\.json not found; run `dbt parse`/);
    assert.ok(performance.now() - t0 < 400);
  });

  test('a writer finishing the file during the retry window: the reader gets the whole file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'manifest.json');
    const full = fs.readFileSync(path.join(FIX, 'jaffle_v12/target/manifest.json'), 'utf8');
    fs.writeFileSync(file, full.slice(0, 1000));
    const timer = setTimeout(() => fs.writeFileSync(file, full), 60);
    const t0 = performance.now();
    const v = await readJsonAtomically<{ nodes: Record<string, unknown> }>(file, { retries: 20, delayMs: 25 });
    clearTimeout(timer);
    assert.ok(performance.now() - t0 >= 50, 'the first attempts failed');
    assert.deepEqual(v, JSON.parse(full));
  });

  test('a writer appending chunks (size changing between reads) is waited for', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'manifest.json');
    const full = fs.readFileSync(path.join(FIX, 'legacy_v7/target/manifest.json'), 'utf8');
    const chunks = 8;
    const size = Math.ceil(full.length / chunks);
    fs.writeFileSync(file, full.slice(0, size));
    let i = 1;
    const timer = setInterval(() => {
      fs.appendFileSync(file, full.slice(i * size, (i + 1) * size));
      if (++i >= chunks) clearInterval(timer);
    }, 15);
    const v = await readJsonAtomically(file, { retries: 40, delayMs: 10, label: 'legacy/manifest.json' });
    clearInterval(timer);
    assert.deepEqual(v, JSON.parse(full));
  });

  test('a file that never becomes JSON names itself in the error', async () => {
    const file = path.join(tempDir(), 'catalog.json');
    fs.writeFileSync(file, '{"nodes": {');
    await rejectsWith(readJsonAtomically(file, { retries: 1, delayMs: 1, label: 'shop/target/catalog.json' }), 'incomplete', /^shop\/target\/catalog\.json is incomplete/);
  });
});

// ------------------------------------------------------------------ manifestIsFresh

describe('manifestIsFresh', () => {
  function project(): { ws: string; proj: string } {
    const ws = tempDir();
    const proj = path.join(ws, 'shop');
    fs.mkdirSync(path.join(proj, 'models'), { recursive: true });
    fs.mkdirSync(path.join(proj, 'target'));
    fs.writeFileSync(path.join(proj, 'dbt_project.yml'), 'name: shop\n');
    fs.writeFileSync(path.join(proj, 'models', 'a.sql'), 'select 1\n');
    fs.writeFileSync(path.join(proj, 'models', 'b.sql'), 'select 2\n');
    return { ws, proj };
  }
  const at = (file: string, seconds: number) => fs.utimesSync(file, seconds, seconds);

  test('fresh only when the manifest is at least as new as every source file', () => {
    const { ws, proj } = project();
    const i = info('shop', 'shop');
    const files = ['shop/dbt_project.yml', 'shop/models/a.sql', 'shop/models/b.sql'];
    assert.equal(manifestIsFresh(proj, i, files), false, 'no manifest yet');
    const manifest = path.join(proj, 'target', 'manifest.json');
    fs.writeFileSync(manifest, '{}');
    for (const f of files) at(path.join(ws, f), 1_700_000_000);
    at(manifest, 1_700_000_100);
    assert.equal(manifestIsFresh(proj, i, files), true);
    assert.equal(manifestIsFresh(ws, i, files), true, 'the workspace folder works too');
    assert.equal(manifestIsFresh(proj, i, ['models/a.sql', path.join(proj, 'models/b.sql')]), true, 'project-relative and absolute paths');
    at(path.join(proj, 'models', 'b.sql'), 1_700_000_100);
    assert.equal(manifestIsFresh(proj, i, files), true, 'same mtime counts as fresh');
    at(path.join(proj, 'models', 'b.sql'), 1_700_000_200);
    assert.equal(manifestIsFresh(proj, i, files), false, 'b.sql edited after dbt ran');
    assert.equal(manifestIsFresh(ws, i, files), false);
    assert.equal(manifestIsFresh(proj, i, ['shop/models/a.sql', 'shop/models/deleted.sql']), true, 'missing files are ignored');
  });

  test('honours target-path: workspace-relative (as discovered), project-relative, absolute', () => {
    const { ws, proj } = project();
    fs.mkdirSync(path.join(proj, 'build', 'out'), { recursive: true });
    fs.writeFileSync(path.join(proj, 'target', 'manifest.json'), '{}');
    const i = { ...info('shop', 'shop'), targetPath: 'shop/build/out' };
    assert.equal(manifestIsFresh(ws, i, []), false, 'target/ is not where this project writes');
    fs.writeFileSync(path.join(proj, 'build', 'out', 'manifest.json'), '{}');
    assert.equal(manifestIsFresh(ws, i, []), true);
    assert.equal(manifestIsFresh(proj, i, []), true);
    assert.equal(manifestIsFresh(ws, { ...i, targetPath: 'build/out' }, []), true);
    assert.equal(manifestIsFresh(ws, { ...i, targetPath: path.join(proj, 'build', 'out') }, []), true);
    assert.equal(manifestIsFresh(ws, { ...i, targetPath: 'shop/elsewhere' }, []), false);
  });
});

// ------------------------------------------------------------------ v12 manifest

describe('readManifestProject: v12 (dbt 1.8)', async () => {
  const p = (await readManifestProject(FIX, info('jaffle_shop', 'jaffle_v12')))!;
  const ids = p.nodes.map(n => n.uniqueId);

  test('only this project\'s enabled resources, plus sources and installed packages\' macros', () => {
    assert.equal(p.origin, 'manifest');
    assert.deepEqual(p.problems, []);
    for (const id of ['model.jaffle_shop.orders', 'model.jaffle_shop.dim_customers.v1', 'model.jaffle_shop.dim_customers.v2',
      'seed.jaffle_shop.country_codes', 'snapshot.jaffle_shop.orders_snapshot', 'analysis.jaffle_shop.orders_by_month',
      'test.jaffle_shop.assert_positive_total', 'source.jaffle_shop.raw.orders', 'source.other_pkg.ext.events',
      'macro.jaffle_shop.cents_to_dollars', 'macro.dbt_utils.star', 'exposure.jaffle_shop.weekly_dashboard',
      'metric.jaffle_shop.revenue', 'semantic_model.jaffle_shop.orders', 'saved_query.jaffle_shop.weekly_revenue']) {
      assert.ok(ids.includes(id), id);
    }
    for (const id of ['model.other_pkg.pkg_model', 'operation.jaffle_shop.jaffle_shop-on-run-end-0', 'model.jaffle_shop.old_orders',
      'macro.dbt.is_incremental', 'macro.dbt_duckdb.duckdb__create_table_as']) {
      assert.ok(!ids.includes(id), `${id} skipped`);
    }
    assert.equal(byId(p, 'macro.dbt_utils.star').props.package, 'dbt_utils');
    assert.equal(byId(p, 'source.other_pkg.ext.events').props.package, 'other_pkg');
    assert.equal(byId(p, 'macro.jaffle_shop.cents_to_dollars').props.package, undefined);
    assert.equal(p.nodes.filter(n => n.resourceType === 'test').length, 10);
  });

  test('locations are workspace-relative; code lines counted, YAML entries found', () => {
    assert.deepEqual(byId(p, 'model.jaffle_shop.stg_customers').location,
      { path: 'jaffle_v12/models/staging/stg_customers.sql', startLine: 1, endLine: linesIn('jaffle_v12/models/staging/stg_customers.sql') });
    const orders = byId(p, 'model.jaffle_shop.orders');
    const marts = 'jaffle_v12/models/marts/_marts.yml';
    assert.deepEqual(orders.yamlLocation, { path: marts, startLine: lineOf(marts, '- name: orders'), endLine: lineOf(marts, "values: ['placed'") });
    const orderId = orders.columns.find(c => c.name === 'order_id')!;
    assert.equal(orderId.location?.startLine, lineOf(marts, '- name: order_id'));
    const macro = byId(p, 'macro.jaffle_shop.cents_to_dollars');
    const money = 'jaffle_v12/macros/money.sql';
    assert.deepEqual(macro.location, { path: money, startLine: lineOf(money, 'macro cents_to_dollars'), endLine: linesIn(money) });
    assert.deepEqual(byId(p, 'macro.jaffle_shop.safe_divide').location, { path: money, startLine: 1, endLine: 3 });
    assert.equal(byId(p, 'macro.dbt_utils.star').location?.path, 'jaffle_v12/dbt_packages/dbt_utils/macros/sql/star.sql');
    const src = 'jaffle_v12/models/staging/_sources.yml';
    assert.equal(byId(p, 'source.jaffle_shop.raw.orders').location?.startLine, lineOf(src, '- name: orders'));
    assert.equal(byId(p, 'source.jaffle_shop.raw.orders').location?.path, src);
    assert.deepEqual(byId(p, 'seed.jaffle_shop.country_codes').location, { path: 'jaffle_v12/seeds/country_codes.csv', startLine: 1, endLine: 1 });
    const snap = byId(p, 'snapshot.jaffle_shop.orders_snapshot');
    assert.equal(snap.location?.path, 'jaffle_v12/snapshots/orders_snapshot.sql');
    assert.ok(snap.location!.endLine >= lineOf('jaffle_v12/snapshots/orders_snapshot.sql', "ref('stg_orders')"));
    const sem = 'jaffle_v12/models/semantic.yml';
    assert.equal(byId(p, 'metric.jaffle_shop.revenue').location?.startLine, lineOf(sem, '- name: revenue'));
    assert.equal(byId(p, 'saved_query.jaffle_shop.weekly_revenue').location?.startLine, lineOf(sem, '- name: weekly_revenue'));
    assert.equal(byId(p, 'exposure.jaffle_shop.weekly_dashboard').location?.startLine, lineOf('jaffle_v12/models/exposures.yml', '- name: weekly_dashboard'));
    // A generic test cites its own line under the column, like the file parser does.
    const unique = byId(p, 'test.jaffle_shop.unique_orders_order_id.fed79b3a6e');
    const uniqueLine = lineOf(marts, '- unique', lineOf(marts, '- name: order_id'));
    assert.deepEqual(unique.location, { path: marts, startLine: uniqueLine, endLine: uniqueLine });
    const rel = byId(p, 'test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2');
    assert.deepEqual(rel.location, { path: marts, startLine: lineOf(marts, '- relationships:'), endLine: lineOf(marts, 'field: customer_id') });
    const combo = byId(p, 'test.jaffle_shop.dbt_utils_unique_combination_of_columns_stg_payments_payment_id__order_id.5a8a4b1b2f');
    const staging = 'jaffle_v12/models/staging/_staging.yml';
    assert.deepEqual(combo.location, { path: staging, startLine: lineOf(staging, '- dbt_utils.unique_combination_of_columns'), endLine: lineOf(staging, '- order_id') });
    const srcTest = byId(p, 'test.jaffle_shop.source_not_null_raw_customers_id.1ba7f3a3a8');
    assert.equal(srcTest.location?.startLine, lineOf(src, '- not_null', lineOf(src, '- name: customers')));
  });

  test('config, relation, code facts, versions', () => {
    const orders = byId(p, 'model.jaffle_shop.orders');
    assert.equal(orders.config.materialized, 'incremental');
    assert.equal(orders.config.uniqueKey, 'order_id');
    assert.equal(orders.config.incrementalStrategy, 'merge');
    assert.deepEqual(orders.config.tags, ['nightly']);
    assert.equal(orders.config.enabled, true);
    assert.equal(orders.config.other.on_schema_change, 'ignore');
    assert.ok(!('unique_key' in orders.config.other) && !('persist_docs' in orders.config.other), 'known keys and empty values left out');
    assert.equal(orders.isIncremental, true);
    assert.deepEqual(orders.relation, { database: 'jaffle', schema: 'main', identifier: 'orders' });
    assert.deepEqual(orders.ctes, ['orders', 'payments']);
    assert.ok(orders.rawCode?.includes('is_incremental()'));
    assert.equal(orders.language, 'sql');
    assert.equal(orders.description, 'One row per order.');
    assert.equal(byId(p, 'model.jaffle_shop.order_payments').relation, undefined, 'ephemeral models build no relation');
    assert.deepEqual(byId(p, 'model.jaffle_shop.stg_customers').ctes, ['source', 'renamed']);
    const v1 = byId(p, 'model.jaffle_shop.dim_customers.v1');
    assert.equal(v1.name, 'dim_customers');
    assert.deepEqual([v1.props.version, v1.props.latest_version, v1.props.versionOf], [1, 2, 'dim_customers']);
    assert.equal(v1.relation?.identifier, 'dim_customers_v1');
    assert.equal(byId(p, 'seed.jaffle_shop.country_codes').config.other.delimiter, ',');
    assert.equal(byId(p, 'snapshot.jaffle_shop.orders_snapshot').config.uniqueKey, 'order_id');
    assert.equal(byId(p, 'snapshot.jaffle_shop.orders_snapshot').config.other.strategy, 'timestamp');
  });

  test('dependencies: depends_on → refs and sources; macro calls', () => {
    const orders = byId(p, 'model.jaffle_shop.orders');
    assert.deepEqual(orders.refs, [{ name: 'stg_orders' }, { name: 'order_payments' }]);
    assert.deepEqual(orders.macros, ['dbt_utils.star', 'dbt.is_incremental']);
    assert.deepEqual(byId(p, 'model.jaffle_shop.stg_payments').sources, [{ source: 'raw', table: 'payments' }]);
    assert.deepEqual(byId(p, 'model.jaffle_shop.stg_payments').macros, ['cents_to_dollars']);
    assert.deepEqual(byId(p, 'metric.jaffle_shop.revenue').refs, [{ name: 'semantic_model.jaffle_shop.orders' }]);
    assert.deepEqual(byId(p, 'exposure.jaffle_shop.weekly_dashboard').refs, [{ name: 'orders' }, { name: 'customers' }]);
  });

  test('columns with descriptions, types, constraints and their tests', () => {
    const orders = byId(p, 'model.jaffle_shop.orders');
    const col = (n: string) => orders.columns.find(c => c.name === n)!;
    assert.equal(col('order_id').dataType, 'integer');
    assert.equal((col('order_id').constraints[0] as { type: string }).type, 'primary_key');
    assert.deepEqual(col('order_id').tests.map(t => t.name), ['unique']);
    const rel = col('customer_id').tests[0];
    assert.equal(rel.name, 'relationships');
    assert.deepEqual(rel.to, { name: 'customers' });
    assert.equal(rel.args.field, 'customer_id');
    assert.ok(!('model' in rel.args), 'dbt\'s internal model kwarg is dropped');
    assert.deepEqual(col('status').tests[0].args.values, ['placed', 'shipped', 'completed', 'returned']);
    assert.match(col('status').description!, /One of the following values/);
    const payments = byId(p, 'model.jaffle_shop.stg_payments');
    assert.deepEqual(payments.tests.map(t => [t.name, t.args.combination_of_columns]),
      [['dbt_utils.unique_combination_of_columns', ['payment_id', 'order_id']]]);
    const src = byId(p, 'source.jaffle_shop.raw.customers');
    assert.deepEqual(src.columns[0].tests.map(t => t.name).sort(), ['not_null', 'unique']);
  });

  test('test nodes carry test name, column, attached node; singular tests their SQL', () => {
    const t = byId(p, 'test.jaffle_shop.dbt_utils_unique_combination_of_columns_stg_payments_payment_id__order_id.5a8a4b1b2f');
    assert.equal(t.props.testName, 'dbt_utils.unique_combination_of_columns');
    assert.equal(t.props.namespace, 'dbt_utils');
    assert.equal(t.props.attachedTo, 'model.jaffle_shop.stg_payments');
    assert.equal(t.props.column, undefined);
    const nn = byId(p, 'test.jaffle_shop.source_not_null_raw_orders_id.0ab81f3bc1');
    assert.deepEqual([nn.props.testName, nn.props.column, nn.props.attachedTo], ['not_null', 'id', 'source.jaffle_shop.raw.orders']);
    assert.deepEqual(nn.sources, [{ source: 'raw', table: 'orders' }]);
    const single = byId(p, 'test.jaffle_shop.assert_positive_total');
    assert.equal(single.props.singular, true);
    assert.match(single.rawCode!, /where amount < 0/);
    assert.deepEqual(single.location, { path: 'jaffle_v12/tests/assert_positive_total.sql', startLine: 1, endLine: 4 });
  });

  test('sources, exposures, semantic layer, macros, docs', () => {
    const src = byId(p, 'source.jaffle_shop.raw.orders');
    assert.deepEqual(src.relation, { database: 'jaffle', schema: 'raw', identifier: 'raw_orders' });
    assert.equal(src.props.source_name, 'raw');
    assert.equal(src.props.loader, 'fivetran');
    assert.deepEqual(src.props.freshness, { warn_after: { count: 12, period: 'hour' }, error_after: { count: null, period: null }, filter: null });
    assert.equal(byId(p, 'source.other_pkg.ext.events').props.freshness, undefined, 'an all-null freshness is no freshness');
    const exp = byId(p, 'exposure.jaffle_shop.weekly_dashboard');
    assert.deepEqual([exp.props.type, exp.props.maturity, exp.props.url], ['dashboard', 'high', 'https://bi.example.com/dashboards/1']);
    assert.deepEqual(exp.props.owner, { email: 'data@example.com', name: 'Data Team' });
    const sm = byId(p, 'semantic_model.jaffle_shop.orders');
    assert.deepEqual((sm.props.measures as { name: string }[]).map(m => m.name), ['order_total']);
    assert.deepEqual(sm.refs, [{ name: 'orders' }]);
    const metric = byId(p, 'metric.jaffle_shop.revenue');
    assert.equal(metric.props.type, 'simple');
    assert.equal(metric.props.label, 'Revenue');
    const macro = byId(p, 'macro.jaffle_shop.cents_to_dollars');
    assert.deepEqual(macro.props.arguments, [{ name: 'column_name' }, { name: 'scale', default: '2' }]);
    assert.deepEqual((macro.props.documentedArguments as { name: string }[]).map(a => a.name), ['column_name']);
    assert.match(macro.rawCode!, /^\{% macro cents_to_dollars/);
    assert.deepEqual(p.docBlocks.map(d => d.name), ['order_status'], 'dbt\'s own __overview__ is not the project\'s');
    const docs = 'jaffle_v12/models/docs.md';
    assert.deepEqual(p.docBlocks[0].location, { path: docs, startLine: lineOf(docs, '{% docs order_status'), endLine: lineOf(docs, '{% enddocs') });
    assert.match(p.docBlocks[0].text, /\| shipped +\| Order shipped/);
  });

  test('the lineage graph over a manifest project', () => {
    const g = LineageGraph.build([p]);
    assert.deepEqual(g.unresolved(), []);
    assert.equal(g.nodes().length, p.nodes.length, 'tests copied onto columns are not synthesized twice');
    assert.deepEqual(g.upstream('model.jaffle_shop.orders').map(h => h.node.uniqueId).sort(),
      ['model.jaffle_shop.order_payments', 'model.jaffle_shop.stg_orders']);
    assert.deepEqual(g.sourcesFeeding('model.jaffle_shop.orders').map(n => n.uniqueId).sort(),
      ['source.jaffle_shop.raw.orders', 'source.jaffle_shop.raw.payments']);
    assert.deepEqual(g.exposuresOf('source.jaffle_shop.raw.orders').map(n => n.uniqueId), ['exposure.jaffle_shop.weekly_dashboard']);
    assert.deepEqual(g.metricsOf('model.jaffle_shop.stg_orders').map(n => n.uniqueId), ['semantic_model.jaffle_shop.orders', 'metric.jaffle_shop.revenue']);
    assert.deepEqual(g.downstream('metric.jaffle_shop.revenue').map(h => h.node.uniqueId), ['saved_query.jaffle_shop.weekly_revenue']);
    assert.deepEqual(g.macroUsers('dbt_utils.star').map(n => n.uniqueId), ['model.jaffle_shop.orders']);
    assert.deepEqual(g.macroUsers('cents_to_dollars').map(n => n.uniqueId), ['model.jaffle_shop.stg_payments']);
    const onCustomers = g.testsCovering('model.jaffle_shop.customers');
    assert.deepEqual(onCustomers.map(t => `${t.testName}${t.viaRelationship ? '(to)' : ''}`).sort(), ['not_null', 'relationships(to)', 'unique']);
    assert.deepEqual(g.grain('model.jaffle_shop.orders'), { columns: ['order_id'], evidence: 'unique_key config of the model' });
    assert.deepEqual(g.grain('model.jaffle_shop.stg_payments')?.columns, ['payment_id', 'order_id']);
    assert.deepEqual(g.grain('model.jaffle_shop.customers')?.columns, ['customer_id']);
    assert.equal(g.resolve('dim_customers')?.uniqueId, 'model.jaffle_shop.dim_customers.v2');
    assert.equal(g.resolve('models/marts/orders.sql')?.uniqueId, 'model.jaffle_shop.orders');
    assert.equal(g.resolve('raw_orders')?.uniqueId, 'source.jaffle_shop.raw.orders');
    const topo = g.topoOrder().order.map(n => n.uniqueId);
    assert.ok(topo.indexOf('model.jaffle_shop.stg_orders') < topo.indexOf('snapshot.jaffle_shop.orders_snapshot'));
  });
});

// ------------------------------------------------------------------ v7 manifest

describe('readManifestProject: v7 (dbt 1.3)', async () => {
  const p = (await readManifestProject(path.join(FIX, 'legacy_v7'), info('legacy_shop', '')))!;

  test('older shapes: list refs, no attached_node, old metric spec, unique_key list', () => {
    assert.deepEqual(p.problems, []);
    assert.deepEqual(p.nodes.map(n => n.uniqueId).sort(), [
      'exposure.legacy_shop.events_report', 'macro.legacy_shop.day_of', 'metric.legacy_shop.daily_event_count',
      'model.legacy_shop.daily_events', 'model.legacy_shop.stg_events',
      'source.legacy_shop.app.events', 'test.legacy_shop.not_null_stg_events_event_id.7a1b2c3d4e',
      'test.legacy_shop.relationships_daily_events_event_type__event_type__ref_stg_events_.9c3d4e5f6a',
      'test.legacy_shop.unique_stg_events_event_id.8b2c3d4e5f',
    ]);
    const daily = byId(p, 'model.legacy_shop.daily_events');
    assert.deepEqual(daily.refs, [{ name: 'stg_events' }]);
    assert.deepEqual(daily.config.uniqueKey, ['event_date', 'event_type']);
    assert.deepEqual(daily.location, { path: 'models/daily_events.sql', startLine: 1, endLine: linesIn('legacy_v7/models/daily_events.sql') });
    const rel = byId(p, 'test.legacy_shop.relationships_daily_events_event_type__event_type__ref_stg_events_.9c3d4e5f6a');
    assert.equal(rel.props.attachedTo, 'model.legacy_shop.daily_events', 'taken from kwargs.model, not from depends_on order');
    assert.deepEqual(rel.tests[0].to, { name: 'stg_events' });
    const schema = 'legacy_v7/models/schema.yml';
    assert.equal(rel.location?.startLine, lineOf(schema, '- relationships:'), 'tests: (before dbt 1.8 data_tests:) are found too');
    const metric = byId(p, 'metric.legacy_shop.daily_event_count');
    assert.deepEqual([metric.props.calculation_method, metric.props.expression], ['count', 'event_id']);
    assert.deepEqual(metric.refs, [{ name: 'daily_events' }]);
    assert.deepEqual(byId(p, 'model.legacy_shop.stg_events').macros, ['day_of']);
    assert.equal(byId(p, 'model.legacy_shop.stg_events').yamlLocation?.startLine, lineOf('legacy_v7/models/schema.yml', '- name: stg_events'));
  });

  test('lineage, tests and grain work the same', () => {
    const g = LineageGraph.build([p]);
    assert.deepEqual(g.unresolved(), []);
    assert.deepEqual(g.downstream('source.legacy_shop.app.events', Infinity).map(h => `${h.node.name}@${h.depth}`),
      ['stg_events@1', 'daily_events@2', 'events_report@3', 'daily_event_count@3']);
    assert.deepEqual(g.grain('daily_events')?.columns, ['event_date', 'event_type']);
    assert.deepEqual(g.grain('stg_events')?.columns, ['event_id']);
    assert.deepEqual(g.testsCovering('stg_events', 'event_type').map(t => [t.testName, t.viaRelationship]), [['relationships', true]]);
    assert.deepEqual(g.metricsOf('stg_events').map(n => n.uniqueId), ['metric.legacy_shop.daily_event_count']);
  });
});

// ------------------------------------------------------------------ bad manifests

describe('readManifestProject: problems', () => {
  test('no manifest → undefined', async () => {
    assert.equal(await readManifestProject(tempDir(), info('x', '')), undefined);
  });

  test('a truncated manifest rejects with the clear message', async () => {
    await rejectsWith(readManifestProject(FIX, info('jaffle_shop', 'truncated'), { retries: 1, delayMs: 5 }), 'incomplete',
      /^truncated\/target\/manifest\.json is incomplete — dbt may still be writing it; try again after the run finishes/);
  });

  test('a manifest of another project is refused (named in metadata, or only by its resources)', async () => {
    await rejectsWith(readManifestProject(FIX, info('renamed_shop', 'jaffle_v12')), 'mismatch', /written for project 'jaffle_shop', not 'renamed_shop'; run `dbt parse`/);
    await rejectsWith(readManifestProject(path.join(FIX, 'legacy_v7'), info('renamed', '')), 'mismatch', /not 'renamed'/);
  });

  test('JSON that is not a manifest is refused; an unknown schema version is read with a warning', async () => {
    const ws = tempDir();
    fs.mkdirSync(path.join(ws, 'target'));
    fs.writeFileSync(path.join(ws, 'target', 'manifest.json'), '{"results": []}');
    await rejectsWith(readManifestProject(ws, info('p', '')), 'invalid', /is not a dbt manifest/);
    fs.writeFileSync(path.join(ws, 'target', 'manifest.json'), JSON.stringify({
      metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v5.json', dbt_version: '1.1.0' },
      nodes: {
        'model.p.a': { resource_type: 'model', package_name: 'p', name: 'a', original_file_path: 'models/a.sql', raw_sql: 'select 1', depends_on: { nodes: [] } },
        'model.p.b': { resource_type: 'model', package_name: 'p', name: 'b', depends_on: 'not-an-object', columns: [1, 2], config: null },
        'not even an object': 42,
      },
    }));
    const p = (await readManifestProject(ws, info('p', '')))!;
    assert.equal(p.problems.length, 1);
    assert.match(p.problems[0].message, /manifest schema v5 \(dbt 1\.1\.0\)/);
    assert.equal(p.problems[0].path, 'target/manifest.json');
    assert.equal(byId(p, 'model.p.a').rawCode, 'select 1', 'raw_sql of old manifests');
    assert.deepEqual(byId(p, 'model.p.b').refs, []);
  });
});

// ------------------------------------------------------------------ catalog

describe('readCatalog', () => {
  test('catalog.json of the v12 project: tables, views, ordered columns, node links', async () => {
    const c = (await readCatalog(FIX, info('jaffle_shop', 'jaffle_v12')))!;
    assert.equal(c.kind, 'duckdb');
    assert.equal(c.origin, 'jaffle_v12/target/catalog.json');
    assert.equal(c.error, undefined);
    assert.equal(c.tables.length, 5);
    const orders = c.tables.find(t => t.nodeId === 'model.jaffle_shop.orders')!;
    assert.deepEqual([orders.database, orders.schema, orders.name, orders.kind], ['jaffle', 'main', 'orders', 'table']);
    assert.deepEqual(orders.columns.map(x => x.name), ['order_id', 'customer_id', 'order_date', 'status', 'amount']);
    assert.equal(orders.columns[4].type, 'DECIMAL(16,2)');
    assert.equal(c.tables.find(t => t.name === 'stg_orders')?.kind, 'view');
    const src = c.tables.find(t => t.nodeId === 'source.jaffle_shop.raw.orders')!;
    assert.deepEqual([src.schema, src.name], ['raw', 'raw_orders']);
    assert.equal(orders.rowCount, undefined);
  });

  test('Snowflake-shaped catalog: row counts, comments, kind guessed; kind can be forced', async () => {
    const ws = tempDir();
    fs.mkdirSync(path.join(ws, 'target'));
    const catalog = {
      metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json' },
      nodes: {
        'model.p.fct': {
          metadata: { type: 'BASE TABLE', schema: 'MARTS', name: 'FCT', database: 'DB', comment: 'Facts', owner: 'ROLE' },
          columns: { B: { type: 'TEXT', index: 2, name: 'B', comment: 'second' }, A: { type: 'NUMBER', index: 1, name: 'A', comment: null } },
          stats: {
            row_count: { id: 'row_count', label: 'Row Count', value: 1234, include: true },
            bytes: { id: 'bytes', label: 'Approximate Size', value: 5_000_000, include: true },
          },
          unique_id: 'model.p.fct',
        },
      },
      sources: {},
      errors: null,
    };
    fs.writeFileSync(path.join(ws, 'target', 'catalog.json'), JSON.stringify(catalog));
    const c = (await readCatalog(ws, info('p', '')))!;
    assert.equal(c.kind, 'snowflake');
    const t = c.tables[0];
    assert.deepEqual([t.name, t.comment, t.rowCount], ['FCT', 'Facts', 1234]);
    assert.deepEqual(t.columns, [{ name: 'A', type: 'NUMBER' }, { name: 'B', type: 'TEXT', comment: 'second' }]);
    assert.equal((await readCatalog(ws, info('p', ''), { kind: 'duckdb' }))!.kind, 'duckdb');
  });

  test('missing → undefined; unreadable → error kept, no throw', async () => {
    const ws = tempDir();
    assert.equal(await readCatalog(ws, info('p', '')), undefined);
    fs.mkdirSync(path.join(ws, 'target'));
    fs.writeFileSync(path.join(ws, 'target', 'catalog.json'), '{"nodes": {"model.p.a": {');
    const c = (await readCatalog(ws, info('p', ''), { retries: 1, delayMs: 5 }))!;
    assert.deepEqual(c.tables, []);
    assert.match(c.error!, /^target\/catalog\.json is incomplete — dbt may still be writing it/);
  });
});
