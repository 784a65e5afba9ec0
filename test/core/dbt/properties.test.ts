// YAML property files: patches, YAML-defined resources, generic tests in every form, line ranges.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { DbtNode, DbtProjectInfo, ParsedProject } from '../../../src/core/types';
import { discoverProjects } from '../../../src/core/dbt/discover';
import { parseFile, parseProjectFiles } from '../../../src/core/dbt/parse';
import { parseProjectConfig } from '../../../src/core/dbt/project';

const WS = path.join(__dirname, '..', '..', 'fixtures', 'dbt', 'normal');
let project: ParsedProject;
const info: DbtProjectInfo = parseProjectConfig('dbt_project.yml', 'name: p\n').info!;
const node = (id: string): DbtNode => {
  const n = project.nodes.find(x => x.uniqueId === id);
  assert.ok(n, `${id} should exist`);
  return n;
};
const testsOf = (id: string) => project.nodes.filter(n => n.resourceType === 'test' && n.props.attachedTo === id);

before(async () => {
  const { projects } = await discoverProjects(WS);
  project = await parseProjectFiles(WS, projects[0]);
});

describe('models: patches', () => {
  test('description, columns with data types, constraints, meta, tags and line ranges', () => {
    const n = node('model.jaffle_shop.stg_orders');
    assert.deepEqual(n.yamlLocation, { path: 'models/staging/schema.yml', startLine: 4, endLine: 48 });
    assert.deepEqual(n.columns.map(c => [c.name, c.location?.startLine, c.location?.endLine]), [
      ['order_id', 12, 19], ['status', 20, 26], ['customer_id', 27, 38], ['order_date', 39, 45],
    ]);
    const [orderId, , customerId] = n.columns;
    assert.equal(orderId.dataType, 'integer');
    assert.equal(orderId.description, 'Primary key of orders.');
    assert.deepEqual(orderId.constraints, [{ type: 'not_null' }]);
    assert.deepEqual(customerId.meta, { pii: false });
    assert.deepEqual(customerId.tags, ['join_key']);
    assert.equal(n.meta.owner, 'staging-team');
  });

  test('generic tests in every form: name, data_tests/tests, args, arguments nesting, config, relationships', () => {
    const cols = Object.fromEntries(node('model.jaffle_shop.stg_orders').columns.map(c => [c.name, c.tests]));
    assert.deepEqual(cols.order_id.map(t => [t.name, t.column, t.args]), [['unique', 'order_id', {}], ['not_null', 'order_id', {}]]);
    assert.deepEqual(cols.status[0].args, { values: ['placed', 'shipped', 'completed', 'returned'] });
    assert.deepEqual(cols.customer_id.map(t => t.to), [{ name: 'stg_customers' }, { source: 'jaffle', table: 'customers' }]);
    assert.deepEqual(cols.customer_id[1].args, { to: "source('jaffle', 'customers')", field: 'id' }, 'dbt 1.10 arguments: are merged');
    assert.deepEqual(cols.order_date[0].args, { min_value: "'2018-01-01'" }, 'config: is not an argument');
    assert.deepEqual(cols.status[0].location, { path: 'models/staging/schema.yml', startLine: 23, endLine: 26 });
    const modelTests = node('model.jaffle_shop.stg_orders').tests;
    assert.deepEqual(modelTests.map(t => [t.name, t.column, t.args]), [
      ['dbt_utils.unique_combination_of_columns', undefined, { combination_of_columns: ['order_id', 'order_date'] }],
    ]);
  });

  test('test nodes: dbt names, refs to the tested model and the relationship target, config, props', () => {
    const tests = testsOf('model.jaffle_shop.stg_orders');
    assert.deepEqual(tests.map(t => t.uniqueId).sort(), [
      'test.jaffle_shop.accepted_values_stg_orders_status__placed__shipped__completed__returned',
      'test.jaffle_shop.customer_id_in_source',
      'test.jaffle_shop.dbt_utils_accepted_range_stg_orders_order_date___2018_01_01_',
      'test.jaffle_shop.dbt_utils_unique_combination_of_columns_stg_orders_order_id__order_date',
      'test.jaffle_shop.not_null_stg_orders_order_id',
      'test.jaffle_shop.relationships_stg_orders_customer_id__customer_id__ref_stg_customers_',
      'test.jaffle_shop.unique_stg_orders_order_id',
    ]);
    const rel = node('test.jaffle_shop.relationships_stg_orders_customer_id__customer_id__ref_stg_customers_');
    assert.deepEqual(rel.refs, [{ name: 'stg_orders' }, { name: 'stg_customers' }]);
    assert.deepEqual(rel.props.column, 'customer_id');
    assert.equal(rel.props.testName, 'relationships');
    assert.match(String(rel.props.shortName), /^relationships_stg_orders_[0-9a-f]{32}$/, 'names of 64+ characters get dbt\'s hashed short name');
    const custom = node('test.jaffle_shop.customer_id_in_source');
    assert.deepEqual(custom.sources, [{ source: 'jaffle', table: 'customers' }]);
    const accepted = node('test.jaffle_shop.accepted_values_stg_orders_status__placed__shipped__completed__returned');
    assert.equal(accepted.config.other.severity, 'warn');
    assert.deepEqual(accepted.location, { path: 'models/staging/schema.yml', startLine: 23, endLine: 26 });
    const range = node('test.jaffle_shop.dbt_utils_accepted_range_stg_orders_order_date___2018_01_01_');
    assert.equal(range.props.namespace, 'dbt_utils');
    assert.equal(range.config.other.where, "status != 'returned'");
  });

  test('YAML for a model without a file is reported and its tests dropped', () => {
    assert.ok(!project.nodes.some(n => n.name.includes('ghost_model')));
  });

  test('model versions: the patch documents <name>_v<n>, tests move to the latest version', () => {
    const v1 = node('model.jaffle_shop.dim_customers_v1');
    const v2 = node('model.jaffle_shop.dim_customers_v2');
    assert.equal(v1.description, 'Customer dimension, versioned.');
    assert.deepEqual([v1.props.version, v2.props.version, v2.props.versionOf], ['1', '2', 'dim_customers']);
    assert.deepEqual(v1.columns.map(c => c.name), ['customer_id']);
    assert.deepEqual(v2.columns.map(c => c.name), ['customer_id', 'first_name']);
    const t = node('test.jaffle_shop.not_null_dim_customers_customer_id');
    assert.equal(t.props.attachedTo, 'model.jaffle_shop.dim_customers_v2');
    assert.deepEqual(t.refs, [{ name: 'dim_customers_v2' }]);
  });
});

describe('sources', () => {
  test('one node per table with the table entry as location; source props inherited, table props win', () => {
    const orders = node('source.jaffle_shop.jaffle.orders');
    assert.deepEqual(orders.location, { path: 'models/staging/schema.yml', startLine: 71, endLine: 78 });
    assert.equal(orders.description, 'Orders placed in the app.');
    assert.deepEqual(orders.relation, { database: 'raw_db', schema: 'jaffle_app', identifier: 'app_orders' });
    assert.equal(orders.props.loader, 'fivetran');
    assert.equal(orders.props.loaded_at_field, '_loaded_at');
    assert.deepEqual(orders.props.freshness, { warn_after: { count: 12, period: 'hour' } });
    assert.equal(orders.props.source_name, 'jaffle');
    assert.equal(orders.props.source_description, 'The raw jaffle shop app database.');
    assert.deepEqual(orders.tags, ['raw']);
    const customers = node('source.jaffle_shop.jaffle.customers');
    assert.equal(customers.props.freshness, null, 'freshness: null on a table turns the source freshness off');
    assert.deepEqual(customers.meta, { system: 'postgres', owner: 'crm' });
    const payments = node('source.jaffle_shop.jaffle.payments');
    assert.equal(payments.props.loaded_at_field, '_synced_at');
    assert.equal(payments.config.enabled, false, 'sources: block of dbt_project.yml applies');
  });

  test('source tests are named source_<test>_<source>_<table>_<column> and point at the source', () => {
    const tests = testsOf('source.jaffle_shop.jaffle.orders').map(t => t.uniqueId).sort();
    assert.deepEqual(tests, ['test.jaffle_shop.source_not_null_jaffle_orders_id', 'test.jaffle_shop.source_unique_jaffle_orders_id']);
    const t = node('test.jaffle_shop.source_unique_jaffle_orders_id');
    assert.deepEqual(t.sources, [{ source: 'jaffle', table: 'orders' }]);
    assert.deepEqual(t.refs, []);
    const recency = testsOf('source.jaffle_shop.jaffle.payments');
    assert.deepEqual(recency.map(r => r.name), ['source_dbt_utils_recency_jaffle_payments_day__created_at__1']);
  });
});

describe('exposures, metrics, semantic models, saved queries', () => {
  test('exposure: depends_on becomes refs/sources/metrics; owner/url/type/maturity in props', () => {
    const e = node('exposure.jaffle_shop.weekly_dashboard');
    assert.deepEqual(e.refs, [{ name: 'orders' }]);
    assert.deepEqual(e.sources, [{ source: 'jaffle', table: 'customers' }]);
    assert.deepEqual(e.props.metrics, ['order_count']);
    assert.deepEqual([e.props.type, e.props.maturity, e.props.url, e.props.label], ['dashboard', 'high', 'https://bi.example.com/d/1', 'Weekly KPIs']);
    assert.deepEqual(e.props.owner, { name: 'Data Team', email: 'data@example.com' });
    assert.deepEqual(e.location, { path: 'models/marts/marts.yml', startLine: 37, endLine: 49 });
  });

  test('metrics of every type keep type_params; a legacy model: ref counts', () => {
    assert.deepEqual(node('metric.jaffle_shop.order_count').props.type_params, { measure: 'order_total' });
    assert.equal(node('metric.jaffle_shop.revenue_ratio').props.type, 'ratio');
    assert.deepEqual(node('metric.jaffle_shop.legacy_metric').refs, [{ name: 'customers' }]);
  });

  test('semantic model: model ref, entities, measures, dimensions; saved query params', () => {
    const sm = node('semantic_model.jaffle_shop.orders_sm');
    assert.deepEqual(sm.refs, [{ name: 'orders' }]);
    assert.deepEqual((sm.props.entities as { name: string }[]).map(e => e.name), ['order']);
    assert.deepEqual((sm.props.measures as { name: string }[]).map(e => e.name), ['order_total']);
    assert.deepEqual((sm.props.dimensions as { name: string }[]).map(e => e.name), ['order_date']);
    const sq = node('saved_query.jaffle_shop.orders_by_day');
    assert.deepEqual((sq.props.query_params as { metrics: string[] }).metrics, ['order_count']);
  });
});

describe('YAML edge cases', () => {
  test('anchors and merge keys resolve; several documents in one file', () => {
    const yml = `version: 2
models:
  - name: a
    columns:
      - &idcol
        name: id
        description: The id.
        data_tests: [unique]
  - name: b
    config: &cfg {materialized: table}
    columns:
      - <<: *idcol
        description: Overridden.
---
models:
  - name: c
    description: second document
`;
    const r = parseFile(info, 'models/props.yml', yml);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.patches.map(p => p.name), ['a', 'b', 'c']);
    assert.deepEqual(r.patches[2].location, { path: 'models/props.yml', startLine: 16, endLine: 17 });
    const b = r.patches[1];
    assert.deepEqual(b.columns.map(c => [c.name, c.description, c.tests.map(t => t.name)]), [['id', 'Overridden.', ['unique']]]);
    assert.deepEqual(b.config, { materialized: 'table' });
    assert.deepEqual(r.nodes.map(n => n.uniqueId).sort(), ['test.p.unique_a_id', 'test.p.unique_b_id']);
  });

  test('test_name form, model-level test with column_name, one-key rule, entries without name', () => {
    const yml = `models:
  - name: m
    data_tests:
      - name: my_custom
        test_name: unique
        column_name: "a || b"
        config: {severity: warn}
      - not_null:
          column_name: id
      - unique: {}
        extra: key
    columns:
      - description: no name here
  - description: nameless model
`;
    const r = parseFile(info, 'models/m.yml', yml);
    assert.deepEqual(r.patches[0].tests.map(t => [t.name, t.column, t.args]), [
      ['unique', 'a || b', { column_name: 'a || b' }],
      ['not_null', 'id', { column_name: 'id' }],
    ]);
    assert.deepEqual(r.nodes.map(n => n.uniqueId), ['test.p.my_custom', 'test.p.not_null_m_id']);
    assert.deepEqual(r.configs['test.p.my_custom'], { severity: 'warn' });
    // Line 10: a test entry with two keys; 13: a column without name; 14: a model without name.
    assert.deepEqual(r.problems.map(p => [p.line, p.severity]).sort(), [[10, 'warning'], [13, 'warning'], [14, 'warning']]);
  });

  test('non-dbt YAML is ignored quietly; doc() references are collected', () => {
    const quiet = parseFile(info, 'models/settings.yml', 'settings:\n  retries: 3\nmodels_dir: x\n');
    assert.deepEqual([quiet.nodes, quiet.patches, quiet.problems], [[], [], []]);
    const docs = parseFile(info, 'models/d.yml', `models:\n  - name: m\n    description: "{{ doc('a') }} and {{doc(\\"pkg\\", \\"b\\")}}"\n`);
    assert.deepEqual(docs.patches[0].docRefs, ['a', 'b']);
  });
});
