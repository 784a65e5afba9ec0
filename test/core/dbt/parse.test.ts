// The normal multi-folder fixture project, read end to end: every kind of file and construct.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { DbtNode, DbtProjectInfo, ParsedProject } from '../../../src/core/types';
import { discoverProjects } from '../../../src/core/dbt/discover';
import { parseFile, parseProjectFiles } from '../../../src/core/dbt/parse';

const WS = path.join(__dirname, '..', '..', 'fixtures', 'dbt', 'normal');
let info: DbtProjectInfo;
let project: ParsedProject;
const node = (id: string): DbtNode => {
  const n = project.nodes.find(x => x.uniqueId === id);
  assert.ok(n, `${id} should exist`);
  return n;
};

before(async () => {
  const found = await discoverProjects(WS);
  assert.deepEqual(found.projects.map(p => p.name), ['jaffle_shop'], 'dbt_packages/dbt_utils is not a project of the workspace');
  info = found.projects[0];
  project = await parseProjectFiles(WS, info);
});

describe('the normal fixture project', () => {
  test('origin, node inventory and the only expected problem', () => {
    assert.equal(project.origin, 'files');
    const ids = project.nodes.filter(n => n.resourceType !== 'test').map(n => n.uniqueId);
    assert.deepEqual(ids, [
      'analysis.jaffle_shop.revenue_by_month',
      'exposure.jaffle_shop.weekly_dashboard',
      'macro.jaffle_shop.cents_to_dollars',
      'macro.jaffle_shop.dollars_per_unit',
      'macro.jaffle_shop.get_payment_methods',
      'macro.jaffle_shop.test_is_even',
      'metric.jaffle_shop.legacy_metric',
      'metric.jaffle_shop.order_count',
      'metric.jaffle_shop.revenue_ratio',
      'model.jaffle_shop.customers',
      'model.jaffle_shop.dim_customers_v1',
      'model.jaffle_shop.dim_customers_v2',
      'model.jaffle_shop.orders',
      'model.jaffle_shop.revenue',
      'model.jaffle_shop.stg_customers',
      'model.jaffle_shop.stg_orders',
      'model.jaffle_shop.stg_payments',
      'saved_query.jaffle_shop.orders_by_day',
      'seed.jaffle_shop.country_codes',
      'semantic_model.jaffle_shop.orders_sm',
      'snapshot.jaffle_shop.customers_snapshot',
      'snapshot.jaffle_shop.orders_snapshot',
      'snapshot.jaffle_shop.payments_snapshot',
      'source.jaffle_shop.jaffle.customers',
      'source.jaffle_shop.jaffle.orders',
      'source.jaffle_shop.jaffle.payments',
    ]);
    assert.deepEqual(project.problems.map(p => [p.path, p.line, p.severity]), [['models/marts/marts.yml', 30, 'warning']]);
    assert.match(project.problems[0].message, /ghost_model/);
    assert.ok(!project.nodes.some(n => n.location?.path.startsWith('dbt_packages/')));
  });

  test('SQL model: source, config, incremental, CTEs, whole-file location, raw code', () => {
    const n = node('model.jaffle_shop.stg_orders');
    const text = fs.readFileSync(path.join(WS, 'models/staging/stg_orders.sql'), 'utf8');
    assert.deepEqual(n.location, { path: 'models/staging/stg_orders.sql', startLine: 1, endLine: 31 });
    assert.equal(n.rawCode, text);
    assert.equal(n.language, 'sql');
    assert.deepEqual(n.sources, [{ source: 'jaffle', table: 'orders' }]);
    assert.deepEqual(n.refs, [], 'the ref inside {# #} does not count');
    assert.equal(n.isIncremental, true);
    assert.deepEqual(n.ctes, ['source', 'Renamed']);
    assert.equal(n.config.materialized, 'incremental');
    assert.deepEqual(n.config.uniqueKey, ['order_id', 'order_date']);
    assert.equal(n.config.incrementalStrategy, 'merge');
    assert.equal(n.config.enabled, true);
    assert.deepEqual(n.config.other.docs, { show: false });
    assert.deepEqual(n.config.other.partition_by, { field: 'order_date', granularity: 'day' });
    assert.equal(n.config.other.post_hook, `var('post_hook_sql')`, 'unparseable kwargs stay as text');
  });

  test('Jinja in SQL comments counts, raw blocks and plain text do not', () => {
    const n = node('model.jaffle_shop.stg_customers');
    assert.deepEqual(n.refs, [{ name: 'stg_payments' }]);
    assert.deepEqual(n.sources, [{ source: 'jaffle', table: 'customers' }]);
    assert.deepEqual(n.ctes, ['customers']);
  });

  test('macros called, context functions excluded', () => {
    const n = node('model.jaffle_shop.stg_payments');
    assert.deepEqual(n.macros, ['get_payment_methods', 'dbt_utils.star', 'cents_to_dollars', 'dbt.date_trunc']);
    assert.deepEqual(n.sources, [{ source: 'jaffle', table: 'payments' }]);
  });

  test('every ref form, alias as identifier', () => {
    const n = node('model.jaffle_shop.orders');
    assert.deepEqual(n.refs, [
      { name: 'stg_orders' }, { name: 'stg_payments' }, { package: 'jaffle_shop', name: 'stg_customers' },
      { name: 'dim_customers', version: '2' }, { name: 'dim_customers', version: '1' },
    ]);
    assert.deepEqual(n.macros, ['ref_case_helper']);
    assert.deepEqual(n.ctes, ['orders', 'payments', 'customers', 'dims']);
    assert.deepEqual(n.relation, { identifier: 'orders_final', schema: 'marts2', database: 'analytics' });
  });

  test('Python model: name from the file stem, refs/sources/config through dbt.*', () => {
    const n = node('model.jaffle_shop.revenue');
    assert.equal(n.language, 'python');
    assert.deepEqual(n.refs, [{ name: 'orders' }, { package: 'jaffle_shop', name: 'stg_payments', version: '1' }]);
    assert.deepEqual(n.sources, [{ source: 'jaffle', table: 'orders' }]);
    assert.equal(n.config.materialized, 'table');
    assert.deepEqual(n.config.other.packages, ['pandas']);
    assert.deepEqual(n.relation, { identifier: 'revenue_final' }, 'alias from dbt_project.yml by model name');
  });

  test('seed: header with BOM and quoted names, row count, YAML columns merged by name', () => {
    const n = node('seed.jaffle_shop.country_codes');
    assert.deepEqual(n.props.header, ['country code', 'Country, Name', 'population']);
    assert.equal(n.props.rowCount, 3);
    assert.deepEqual(n.columns.map(c => c.name), ['country code', 'Country, Name', 'population', 'extra_doc_only']);
    assert.equal(n.columns[0].description, 'Two-letter code.');
    assert.equal(n.config.schema, 'raw');
    assert.equal(n.config.other.quote_columns, true);
    assert.deepEqual(n.config.other.column_types, { population: 'integer' });
  });

  test('snapshots: several blocks per file with their own ranges, and a YAML-defined one', () => {
    const a = node('snapshot.jaffle_shop.orders_snapshot');
    assert.deepEqual(a.location, { path: 'snapshots/orders_snapshot.sql', startLine: 1, endLine: 11 });
    assert.equal(a.props.strategy, 'timestamp');
    assert.equal(a.props.updated_at, 'updated_at');
    assert.equal(a.config.uniqueKey, 'order_id');
    assert.deepEqual(a.sources, [{ source: 'jaffle', table: 'orders' }]);
    assert.equal(a.description, 'History of orders.');
    assert.deepEqual(a.relation, { identifier: 'orders_snapshot', schema: 'snapshots' });
    const b = node('snapshot.jaffle_shop.customers_snapshot');
    assert.deepEqual(b.location, { path: 'snapshots/orders_snapshot.sql', startLine: 13, endLine: 17 });
    assert.deepEqual(b.props.check_cols, ['first_name', 'last_name']);
    assert.deepEqual(b.refs, [{ name: 'stg_customers' }]);
    assert.deepEqual(b.ctes, ['c']);
    const y = node('snapshot.jaffle_shop.payments_snapshot');
    assert.deepEqual(y.location, { path: 'snapshots/snapshots.yml', startLine: 3, endLine: 10 });
    assert.deepEqual(y.sources, [{ source: 'jaffle', table: 'payments' }]);
    assert.equal(y.props.updated_at, 'created_at');
    assert.deepEqual(y.relation, { identifier: 'payments_snapshot', schema: 'history' });
  });

  test('macros: one node per block with line ranges and arguments; materializations skipped; generic tests', () => {
    const m = node('macro.jaffle_shop.cents_to_dollars');
    assert.deepEqual(m.location, { path: 'macros/cents_to_dollars.sql', startLine: 2, endLine: 4 });
    assert.deepEqual(m.props.arguments, [{ name: 'column_name' }, { name: 'scale', default: '2' }]);
    assert.equal(m.description, 'Converts cents to dollars.');
    assert.deepEqual((m.props.documentedArguments as { name: string }[]).map(a => a.name), ['column_name', 'scale']);
    assert.ok(m.rawCode?.startsWith('{% macro cents_to_dollars'));
    const g = node('macro.jaffle_shop.get_payment_methods');
    assert.deepEqual(g.location, { path: 'macros/cents_to_dollars.sql', startLine: 6, endLine: 17 });
    assert.deepEqual(g.macros, [], 'run_query, adapter.dispatch, return and the locals are not macros');
    assert.ok(!project.nodes.some(n => n.name === 'my_view'));
    const d = node('macro.jaffle_shop.dollars_per_unit');
    assert.deepEqual(d.location, { path: 'macros/cents_to_dollars.sql', startLine: 23, endLine: 25 });
    assert.deepEqual(d.macros, ['cents_to_dollars'], 'macros a macro calls');
    const t = node('macro.jaffle_shop.test_is_even');
    assert.equal(t.props.genericTest, 'is_even');
    assert.deepEqual(t.props.arguments, [{ name: 'model' }, { name: 'column_name' }]);
  });

  test('singular tests and analyses', () => {
    const t = node('test.jaffle_shop.assert_positive_total');
    assert.deepEqual(t.refs, [{ name: 'orders' }]);
    assert.equal(t.props.singular, true);
    assert.equal(t.description, 'No order has a negative total.');
    assert.equal(t.config.other.severity, 'warn');
    const a = node('analysis.jaffle_shop.revenue_by_month');
    assert.deepEqual(a.refs, [{ name: 'orders' }]);
  });

  test('docs blocks with line ranges', () => {
    assert.deepEqual(project.docBlocks.map(d => [d.name, d.location.startLine, d.location.endLine]), [
      ['orders_status', 3, 5], ['__overview__', 7, 9],
    ]);
    assert.equal(project.docBlocks[0].text, 'Orders move through **placed**, shipped, completed and returned.');
  });
});

describe('parseFile', () => {
  test('is pure: the same input gives the same output, and files outside the project paths are ignored', () => {
    const rel = 'models/staging/stg_payments.sql';
    const text = fs.readFileSync(path.join(WS, rel), 'utf8');
    assert.deepEqual(parseFile(info, rel, text), parseFile(info, rel, text));
    assert.equal(parseFile(info, 'scripts/x.sql', 'select 1').kind, 'ignored');
    assert.equal(parseFile(info, 'seeds/x.sql', 'select 1').kind, 'ignored');
    assert.equal(parseFile(info, 'models/x.csv', 'a,b').kind, 'ignored');
  });

  test('classifies files by folder and extension', () => {
    const kinds = [
      ['models/a.sql', 'select 1'], ['models/a.py', 'def model(dbt, s):\n  return 1'], ['models/a.yml', 'version: 2'],
      ['models/a.md', ''], ['seeds/a.csv', 'x\n1'], ['snapshots/a.sql', ''], ['macros/a.sql', ''],
      ['tests/a.sql', 'select 1'], ['tests/generic/a.sql', ''], ['analyses/a.sql', 'select 1'],
    ].map(([p, c]) => parseFile(info, p, c).kind);
    assert.deepEqual(kinds, ['model', 'model', 'properties', 'docs', 'seed', 'snapshot', 'macro', 'test', 'macro', 'analysis']);
  });

  test('a Python model without def model() is still a model, with a warning', () => {
    const r = parseFile(info, 'models/helper.py', 'x = 1\n');
    assert.equal(r.nodes[0].uniqueId, 'model.jaffle_shop.helper');
    assert.equal(r.problems[0].severity, 'warning');
  });
});
