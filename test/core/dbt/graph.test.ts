import { newNode } from '../../../src/core/dbt/nodes';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnDef, DbtNode, DbtProjectInfo, ParsedProject, ResourceType, TestDef } from '../../../src/core/types';
import { LineageGraph } from '../../../src/core/dbt/graph';

// ------------------------------------------------------------------ builders

type NodeSpec = Partial<DbtNode> & { uniqueId: string };

function node(spec: NodeSpec): DbtNode {
  const [type, project, ...rest] = spec.uniqueId.split('.');
  const name = spec.name ?? (type === 'source' ? rest[1] : rest[0]);
  return {
    ...newNode(type as ResourceType, project, name, undefined, spec.uniqueId),
    props: type === 'source' ? { source_name: rest[0] } : {},
    ...spec,
  };
}

function col(name: string, tests: TestDef[] = [], extra: Partial<ColumnDef> = {}): ColumnDef {
  return { name, tests, constraints: [], meta: {}, tags: [], docRefs: [], ...extra };
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

function project(name: string, root: string, nodes: DbtNode[]): ParsedProject {
  return { info: info(name, root), nodes, docBlocks: [], problems: [], origin: 'files' };
}

const loc = (path: string, startLine = 1, endLine = startLine) => ({ path, startLine, endLine });

const shop = project('shop', 'shop', [
  node({ uniqueId: 'source.shop.raw.orders', relation: { database: 'raw_db', schema: 'raw', identifier: 'orders' },
    location: loc('shop/models/staging/_sources.yml', 4, 12),
    columns: [col('id', [{ name: 'unique', args: {} }, { name: 'not_null', args: {} }])] }),
  node({ uniqueId: 'source.shop.raw.customers', relation: { schema: 'raw', identifier: 'customers_v' } }),
  node({ uniqueId: 'seed.shop.country_codes', location: loc('shop/seeds/country_codes.csv') }),
  node({ uniqueId: 'model.shop.stg_orders', sources: [{ source: 'raw', table: 'orders' }], macros: ['cents_to_dollars'],
    location: loc('shop/models/staging/stg_orders.sql', 1, 20) }),
  node({ uniqueId: 'model.shop.stg_customers', sources: [{ source: 'raw', table: 'customers' }], macros: ['dbt_utils.star'],
    location: loc('shop/models/staging/stg_customers.sql', 1, 9) }),
  node({
    uniqueId: 'model.shop.orders', refs: [{ name: 'stg_orders' }, { name: 'stg_customers' }, { name: 'country_codes' }],
    macros: ['star'], location: loc('shop/models/marts/fct_orders.sql', 1, 40),
    relation: { database: 'analytics', schema: 'marts', identifier: 'fct_orders' },
    config: { tags: [], other: {}, uniqueKey: 'order_id', materialized: 'incremental' },
    columns: [
      col('order_id', [{ name: 'unique', args: {}, location: loc('shop/models/marts/_marts.yml', 8, 8) }, { name: 'not_null', args: {} }]),
      col('customer_id', [{ name: 'relationships', args: { to: "ref('customers')", field: 'id' }, to: { name: 'customers' } }]),
      col('status', [{ name: 'accepted_values', args: { values: ['placed', 'shipped'] } }]),
    ],
  }),
  node({ uniqueId: 'model.shop.customers', refs: [{ name: 'stg_customers' }], columns: [col('id', [{ name: 'unique', args: {} }])] }),
  node({ uniqueId: 'model.shop.dim_customers.v1', name: 'dim_customers', refs: [{ name: 'customers' }], props: { version: 1, latest_version: 2 },
    relation: { schema: 'marts', identifier: 'dim_customers_v1' } }),
  node({ uniqueId: 'model.shop.dim_customers.v2', name: 'dim_customers', refs: [{ name: 'customers' }], props: { version: 2, latest_version: 2 },
    relation: { schema: 'marts', identifier: 'dim_customers_v2' } }),
  node({ uniqueId: 'model.shop.customer_report', refs: [{ name: 'dim_customers' }, { name: 'dim_customers', version: '1' }] }),
  node({ uniqueId: 'model.shop.broken', refs: [{ name: 'orders' }, { name: 'missing_model' }], sources: [{ source: 'raw', table: 'nope' }] }),
  node({ uniqueId: 'model.shop.shared_name' }),
  node({ uniqueId: 'macro.shop.cents_to_dollars', location: loc('shop/macros/cents_to_dollars.sql', 1, 5) }),
  node({ uniqueId: 'macro.shop.star', macros: ['dbt_utils.star'] }),
  node({ uniqueId: 'macro.dbt_utils.star', props: { package: 'dbt_utils' } }),
  node({ uniqueId: 'test.shop.assert_orders_positive', refs: [{ name: 'orders' }],
    rawCode: "select * from {{ ref('orders') }} where order_total < 0 or order_id is null" }),
  node({ uniqueId: 'exposure.shop.weekly_dashboard', refs: [{ name: 'orders' }] }),
  node({ uniqueId: 'semantic_model.shop.orders_sm', name: 'orders', refs: [{ name: 'orders' }], props: { measures: [{ name: 'order_total', agg: 'sum' }] } }),
  node({ uniqueId: 'metric.shop.revenue', props: { type: 'simple', type_params: { measure: { name: 'order_total' } } } }),
  node({ uniqueId: 'metric.shop.revenue_growth', props: { type: 'derived', type_params: { metrics: [{ name: 'revenue' }] } } }),
  node({ uniqueId: 'saved_query.shop.weekly_revenue', props: { query_params: { metrics: ['revenue'] } } }),
  node({ uniqueId: 'exposure.shop.kpi_board', props: { metrics: ['revenue_growth'] } }),
]);

const finance = project('finance', 'finance', [
  node({ uniqueId: 'model.finance.orders', location: loc('finance/models/orders.sql', 1, 3) }),
  node({ uniqueId: 'model.finance.fin_orders', refs: [{ name: 'orders', package: 'shop' }], location: loc('finance/models/fin_orders.sql', 1, 3) }),
  node({ uniqueId: 'model.finance.fin_customers', refs: [{ name: 'customers' }, { name: 'orders' }] }),
  node({ uniqueId: 'model.finance.shared_name' }),
  node({ uniqueId: 'model.finance.uses_macro', macros: ['cents_to_dollars'] }),
]);

const ops = project('ops', '', [
  node({ uniqueId: 'model.ops.ops_report', refs: [{ name: 'shared_name' }, { name: 'shared_name', package: 'finance' }] }),
]);

const graph = LineageGraph.build([shop, finance, ops]);
const ids = (list: { uniqueId: string }[]) => list.map(n => n.uniqueId);
const hitIds = (hits: { node: DbtNode; depth: number }[]) => hits.map(h => `${h.node.uniqueId}@${h.depth}`);

// ------------------------------------------------------------------ tests

describe('resolve and findAll', () => {
  test('exact unique_id, case-insensitively', () => {
    assert.equal(graph.resolve('model.shop.orders')?.uniqueId, 'model.shop.orders');
    assert.equal(graph.resolve('MODEL.SHOP.ORDERS')?.uniqueId, 'model.shop.orders');
    assert.equal(graph.get('model.finance.orders')?.project, 'finance');
    assert.equal(graph.get('model.nope.x'), undefined);
  });

  test('by name: models before sources before macros; project preference; type filter', () => {
    assert.equal(graph.resolve('Orders')?.uniqueId, 'model.shop.orders');
    assert.equal(graph.resolve('orders', { project: 'finance' })?.uniqueId, 'model.finance.orders');
    assert.equal(graph.resolve('orders', { types: ['source'] })?.uniqueId, 'source.shop.raw.orders');
    assert.equal(graph.resolve('orders', { types: ['semantic_model'] })?.uniqueId, 'semantic_model.shop.orders_sm');
    assert.equal(graph.resolve('raw.orders')?.uniqueId, 'source.shop.raw.orders');
    assert.equal(graph.resolve('star')?.uniqueId, 'macro.shop.star');
    assert.equal(graph.resolve('star', { project: 'dbt_utils' })?.uniqueId, 'macro.dbt_utils.star');
    assert.equal(graph.resolve('dbt_utils.star')?.uniqueId, 'macro.dbt_utils.star');
    assert.equal(graph.resolve('finance.orders')?.uniqueId, 'model.finance.orders');
    assert.equal(graph.resolve('weekly_dashboard')?.uniqueId, 'exposure.shop.weekly_dashboard');
    assert.equal(graph.resolve('revenue')?.uniqueId, 'metric.shop.revenue');
    assert.equal(graph.resolve('no_such_thing'), undefined);
  });

  test('a bare source table name is found when no stronger name matches', () => {
    assert.equal(graph.resolve('customers')?.uniqueId, 'model.shop.customers');
    assert.equal(graph.resolve('raw.customers')?.uniqueId, 'source.shop.raw.customers');
    assert.equal(graph.resolve('customers', { types: ['source'] })?.uniqueId, 'source.shop.raw.customers');
  });

  test('versioned model: the name means the latest version; name.vN pins one', () => {
    assert.equal(graph.resolve('dim_customers')?.uniqueId, 'model.shop.dim_customers.v2');
    assert.equal(graph.resolve('dim_customers.v1')?.uniqueId, 'model.shop.dim_customers.v1');
  });

  test('by relation identifier / alias, schema.identifier, quoted database.schema.identifier', () => {
    assert.equal(graph.resolve('fct_orders')?.uniqueId, 'model.shop.orders');
    assert.equal(graph.resolve('marts.fct_orders')?.uniqueId, 'model.shop.orders');
    assert.equal(graph.resolve('"analytics"."marts"."fct_orders"')?.uniqueId, 'model.shop.orders');
    assert.equal(graph.resolve('customers_v')?.uniqueId, 'source.shop.raw.customers');
    assert.equal(graph.resolve('dim_customers_v1')?.uniqueId, 'model.shop.dim_customers.v1');
  });

  test('by file path: workspace-relative, project-relative, file name', () => {
    assert.equal(graph.resolve('shop/models/marts/fct_orders.sql')?.uniqueId, 'model.shop.orders');
    assert.equal(graph.resolve('models/marts/fct_orders.sql')?.uniqueId, 'model.shop.orders');
    assert.equal(graph.resolve('./models\\marts\\fct_orders.sql')?.uniqueId, 'model.shop.orders');
    assert.equal(graph.resolve('fct_orders.sql')?.uniqueId, 'model.shop.orders');
    assert.equal(graph.resolve('models/orders.sql')?.uniqueId, 'model.finance.orders');
    assert.equal(graph.resolve('models/nothing_here.sql'), undefined);
  });

  test('findAll lists every candidate for an ambiguous name, best first', () => {
    const all = ids(graph.findAll('orders'));
    assert.deepEqual(all.slice(0, 2), ['model.shop.orders', 'model.finance.orders']);
    assert.ok(all.includes('semantic_model.shop.orders_sm'));
    assert.ok(all.includes('source.shop.raw.orders'));
    assert.ok(all.indexOf('semantic_model.shop.orders_sm') < all.indexOf('source.shop.raw.orders'), 'bare source table names come last');
    assert.deepEqual(ids(graph.findAll('shared_name')).sort(), ['model.finance.shared_name', 'model.shop.shared_name']);
    assert.deepEqual(ids(graph.findAll('orders', { project: 'finance', types: ['model'] })), ['model.finance.orders', 'model.shop.orders']);
  });
});

describe('edges', () => {
  test('refs and sources inside one project', () => {
    assert.deepEqual(ids(graph.upstream('model.shop.orders').map(h => h.node)).sort(),
      ['model.shop.stg_customers', 'model.shop.stg_orders', 'seed.shop.country_codes']);
    assert.deepEqual(ids(graph.upstream('model.shop.stg_orders').map(h => h.node)), ['source.shop.raw.orders']);
  });

  test('across projects: two-argument ref, and a plain name unique to another project', () => {
    assert.deepEqual(ids(graph.upstream('model.finance.fin_orders').map(h => h.node)), ['model.shop.orders']);
    // 'customers' exists only in shop; 'orders' exists in finance itself, which wins.
    assert.deepEqual(ids(graph.upstream('model.finance.fin_customers').map(h => h.node)).sort(),
      ['model.finance.orders', 'model.shop.customers']);
  });

  test('versioned refs: unpinned → latest version, v=1 → version 1', () => {
    assert.deepEqual(ids(graph.upstream('model.shop.customer_report').map(h => h.node)).sort(),
      ['model.shop.dim_customers.v1', 'model.shop.dim_customers.v2']);
    assert.deepEqual(ids(graph.downstream('model.shop.dim_customers.v1').map(h => h.node)), ['model.shop.customer_report']);
  });

  test('unresolved and ambiguous refs are recorded, not thrown', () => {
    const un = graph.unresolved();
    const find = (from: string, ref: string) => un.find(u => u.from === from && u.ref === ref);
    assert.ok(find('model.shop.broken', "ref('missing_model')"));
    assert.ok(find('model.shop.broken', "source('raw', 'nope')"));
    const amb = find('model.ops.ops_report', "ref('shared_name')");
    assert.ok(amb, 'a name defined in two other projects is ambiguous');
    assert.match(amb.reason, /ambiguous.*finance.*shop|ambiguous.*shop.*finance/);
    assert.equal(un.length, 3, JSON.stringify(un));
    assert.deepEqual(ids(graph.upstream('model.ops.ops_report').map(h => h.node)), ['model.finance.shared_name']);
    assert.deepEqual(ids(graph.upstream('model.shop.broken').map(h => h.node)), ['model.shop.orders']);
  });

  test('semantic layer: semantic model on its model, metric on measure owner, derived metric and saved query on metric', () => {
    assert.deepEqual(ids(graph.upstream('metric.shop.revenue').map(h => h.node)), ['semantic_model.shop.orders_sm']);
    assert.deepEqual(ids(graph.upstream('metric.shop.revenue_growth').map(h => h.node)), ['metric.shop.revenue']);
    assert.deepEqual(ids(graph.upstream('saved_query.shop.weekly_revenue').map(h => h.node)), ['metric.shop.revenue']);
    assert.deepEqual(ids(graph.upstream('exposure.shop.kpi_board').map(h => h.node)), ['metric.shop.revenue_growth'], "exposure depends_on metric('x')");
  });

  test('macroUsers: qualified, bare, unique_id forms; macros that call macros', () => {
    assert.deepEqual(ids(graph.macroUsers('dbt_utils.star')).sort(), ['macro.shop.star', 'model.shop.stg_customers']);
    assert.deepEqual(ids(graph.macroUsers('macro.dbt_utils.star')).sort(), ['macro.shop.star', 'model.shop.stg_customers']);
    assert.deepEqual(ids(graph.macroUsers('star')).sort(), ['macro.shop.star', 'model.shop.orders', 'model.shop.stg_customers']);
    assert.deepEqual(ids(graph.macroUsers('shop.star')), ['model.shop.orders']);
    assert.deepEqual(ids(graph.macroUsers('cents_to_dollars')).sort(), ['model.finance.uses_macro', 'model.shop.stg_orders']);
    assert.deepEqual(ids(graph.macroUsers('shop.cents_to_dollars')), ['model.shop.stg_orders']);
    assert.deepEqual(graph.macroUsers('never_called'), []);
  });

  test('macro calls are not lineage', () => {
    assert.ok(!graph.downstream('macro.shop.cents_to_dollars').length);
    assert.ok(!ids(graph.upstream('model.shop.stg_orders').map(h => h.node)).includes('macro.shop.cents_to_dollars'));
  });
});

describe('upstream / downstream', () => {
  test('BFS order with depths, depth-limited', () => {
    const up = hitIds(graph.upstream('model.finance.fin_orders', 3));
    assert.deepEqual(up.slice(0, 1), ['model.shop.orders@1']);
    assert.deepEqual(up.slice(1, 4).sort(), ['model.shop.stg_customers@2', 'model.shop.stg_orders@2', 'seed.shop.country_codes@2']);
    assert.deepEqual(up.slice(4).sort(), ['source.shop.raw.customers@3', 'source.shop.raw.orders@3']);
    assert.equal(graph.upstream('model.finance.fin_orders', 2).length, 4);
    assert.equal(graph.upstream('model.finance.fin_orders', Infinity).length, 6);
    assert.deepEqual(graph.upstream('model.finance.fin_orders', 0), []);
  });

  test('tests are excluded unless asked for', () => {
    const plain = ids(graph.downstream('model.shop.orders').map(h => h.node));
    assert.ok(plain.every(id => !id.startsWith('test.')), plain.join());
    assert.ok(plain.includes('exposure.shop.weekly_dashboard'));
    const withTests = ids(graph.downstream('model.shop.orders', 1, { includeTests: true }).map(h => h.node));
    assert.ok(withTests.includes('test.shop.assert_orders_positive'));
    assert.ok(withTests.includes('test.shop.unique_orders_order_id'));
    assert.equal(withTests.filter(id => id.startsWith('test.')).length, 5);
  });

  test('a relationships test hangs below the node it points to as well', () => {
    const below = ids(graph.downstream('model.shop.customers', 1, { includeTests: true }).map(h => h.node));
    assert.ok(below.includes('test.shop.relationships_orders_customer_id'), below.join());
  });

  test('accepts a name instead of an id; unknown ids give []', () => {
    assert.deepEqual(hitIds(graph.upstream('stg_orders')), ['source.shop.raw.orders@1']);
    assert.deepEqual(graph.downstream('nothing.at.all'), []);
  });

  test('cycles terminate and keep depths', () => {
    const cyc = LineageGraph.build([project('cyc', '', [
      node({ uniqueId: 'model.cyc.a', refs: [{ name: 'c' }] }),
      node({ uniqueId: 'model.cyc.b', refs: [{ name: 'a' }] }),
      node({ uniqueId: 'model.cyc.c', refs: [{ name: 'b' }] }),
      node({ uniqueId: 'model.cyc.d', refs: [{ name: 'a' }] }),
      node({ uniqueId: 'model.cyc.self', refs: [{ name: 'self' }] }),
    ])]);
    assert.deepEqual(hitIds(cyc.downstream('model.cyc.a', Infinity)), ['model.cyc.b@1', 'model.cyc.d@1', 'model.cyc.c@2']);
    assert.deepEqual(hitIds(cyc.upstream('model.cyc.a', Infinity)), ['model.cyc.c@1', 'model.cyc.b@2']);
    assert.deepEqual(cyc.upstream('model.cyc.self', Infinity), []);
    const topo = cyc.topoOrder();
    assert.deepEqual(ids(topo.order).sort(), ['model.cyc.a', 'model.cyc.b', 'model.cyc.c', 'model.cyc.d', 'model.cyc.self']);
    assert.deepEqual(topo.cycles.map(c => c.slice().sort()).sort(), [['model.cyc.a', 'model.cyc.b', 'model.cyc.c'], ['model.cyc.self']]);
  });
});

describe('questions about a node', () => {
  test('sourcesFeeding: every source anywhere upstream', () => {
    assert.deepEqual(ids(graph.sourcesFeeding('model.finance.fin_orders')).sort(), ['source.shop.raw.customers', 'source.shop.raw.orders']);
    assert.deepEqual(ids(graph.sourcesFeeding('model.shop.stg_orders')), ['source.shop.raw.orders']);
    assert.deepEqual(graph.sourcesFeeding('seed.shop.country_codes'), []);
  });

  test('exposuresOf and metricsOf look at any depth', () => {
    assert.deepEqual(ids(graph.exposuresOf('source.shop.raw.orders')), ['exposure.shop.weekly_dashboard', 'exposure.shop.kpi_board']);
    assert.deepEqual(ids(graph.exposuresOf('metric.shop.revenue')), ['exposure.shop.kpi_board']);
    assert.deepEqual(ids(graph.metricsOf('model.shop.stg_orders')),
      ['semantic_model.shop.orders_sm', 'metric.shop.revenue', 'metric.shop.revenue_growth']);
    assert.deepEqual(graph.metricsOf('model.shop.customers'), []);
  });

  test('testsCovering: column tests, singular tests that ref it, relationships tests pointing at it', () => {
    const onOrders = graph.testsCovering('model.shop.orders');
    const names = onOrders.map(t => `${t.testName}:${t.column ?? ''}:${t.singular ? 'S' : ''}${t.viaRelationship ? 'R' : ''}`).sort();
    assert.deepEqual(names, ['accepted_values:status:', 'assert_orders_positive::S', 'not_null:order_id:', 'relationships:customer_id:', 'unique:order_id:']);
    const unique = onOrders.find(t => t.testName === 'unique')!;
    assert.equal(unique.node.uniqueId, 'test.shop.unique_orders_order_id');
    assert.equal(unique.uniqueId, unique.node.uniqueId, 'each result is the test node itself, flagged');
    assert.equal(unique.resourceType, 'test');
    assert.equal(unique.node, graph.get(unique.uniqueId));
    assert.equal(unique.node.props.synthesized, true);
    assert.deepEqual(unique.node.location, loc('shop/models/marts/_marts.yml', 8, 8));

    const orderId = graph.testsCovering('model.shop.orders', 'ORDER_ID').map(t => t.testName).sort();
    assert.deepEqual(orderId, ['assert_orders_positive', 'not_null', 'unique'], 'the singular test mentions order_id');
    assert.deepEqual(graph.testsCovering('model.shop.orders', 'status').map(t => t.testName), ['accepted_values']);

    const onCustomers = graph.testsCovering('model.shop.customers');
    const rel = onCustomers.find(t => t.viaRelationship);
    assert.ok(rel, 'relationships test on orders.customer_id points at customers');
    assert.equal(rel.testName, 'relationships');
    assert.equal(rel.column, 'customer_id');
    assert.deepEqual(graph.testsCovering('model.shop.customers', 'id').map(t => `${t.testName}${t.viaRelationship ? '(to)' : ''}`).sort(),
      ['relationships(to)', 'unique']);

    const onSource = graph.testsCovering('raw.orders');
    assert.deepEqual(onSource.map(t => t.node.uniqueId).sort(), ['test.shop.source_not_null_raw_orders_id', 'test.shop.source_unique_raw_orders_id']);
    assert.deepEqual(graph.testsCovering('model.shop.stg_orders'), []);
  });

  test('a test node from the manifest is not duplicated by the same TestDef on the column', () => {
    const g = LineageGraph.build([project('m', '', [
      node({ uniqueId: 'model.m.t', columns: [col('id', [{ name: 'unique', args: {} }, { name: 'not_null', args: {} }])] }),
      node({ uniqueId: 'test.m.unique_t_id.abc123', name: 'unique_t_id', refs: [{ name: 't' }], tests: [{ name: 'unique', column: 'id', args: {} }],
        props: { attached_node: 'model.m.t', column_name: 'id' } }),
    ])]);
    const cover = g.testsCovering('model.m.t').map(t => t.node.uniqueId).sort();
    assert.deepEqual(cover, ['test.m.not_null_t_id', 'test.m.unique_t_id.abc123']);
    assert.equal(g.nodes().filter(n => n.resourceType === 'test').length, 2);
  });

  test('file-parser conventions: test nodes described in props, versioned models named after their file', () => {
    const g = LineageGraph.build([project('fp', '', [
      node({ uniqueId: 'model.fp.orders', columns: [
        col('id', [{ name: 'unique', args: {} }]),
        col('customer_id', [{ name: 'relationships', args: { to: "ref('customers')", field: 'id' }, to: { name: 'customers' } }]),
      ] }),
      node({ uniqueId: 'model.fp.customers' }),
      node({ uniqueId: 'test.fp.unique_orders_id', refs: [{ name: 'orders' }],
        props: { testName: 'unique', column: 'id', attachedTo: 'model.fp.orders', args: {}, generic: true } }),
      node({ uniqueId: 'test.fp.relationships_orders_customer_id__id__ref_customers_', refs: [{ name: 'orders' }, { name: 'customers' }],
        props: { testName: 'relationships', column: 'customer_id', attachedTo: 'model.fp.orders', args: { to: "ref('customers')", field: 'id' }, generic: true } }),
      node({ uniqueId: 'test.fp.assert_orders', refs: [{ name: 'orders' }], props: { testName: 'assert_orders', singular: true },
        rawCode: "select * from {{ ref('orders') }} where customer_id is null" }),
      node({ uniqueId: 'model.fp.dim_v1', props: { version: 1, versionOf: 'dim', latest_version: 1 } }),
      node({ uniqueId: 'model.fp.dim_v2', props: { version: 2, versionOf: 'dim', latest_version: 1 } }),
      node({ uniqueId: 'model.fp.uses_dim', refs: [{ name: 'dim' }, { name: 'dim', version: '2' }] }),
    ])]);
    assert.equal(g.nodes().filter(n => n.resourceType === 'test').length, 3, 'the TestDefs on columns are the same tests');
    assert.deepEqual(g.testsCovering('orders').map(t => `${t.testName}:${t.singular ? 'S' : ''}${t.viaRelationship ? 'R' : ''}`).sort(),
      ['assert_orders:S', 'relationships:', 'unique:']);
    assert.deepEqual(g.testsCovering('orders', 'customer_id').map(t => t.testName).sort(), ['assert_orders', 'relationships']);
    const rel = g.testsCovering('customers', 'id');
    assert.deepEqual(rel.map(t => [t.node.uniqueId, t.viaRelationship]), [['test.fp.relationships_orders_customer_id__id__ref_customers_', true]]);
    assert.deepEqual(g.grain('orders'), { columns: ['id'], evidence: 'unique test on id' });
    assert.deepEqual(ids(g.upstream('uses_dim').map(h => h.node)).sort(), ['model.fp.dim_v1', 'model.fp.dim_v2'], 'unpinned → latest_version 1');
    assert.equal(g.resolve('dim')?.uniqueId, 'model.fp.dim_v1');
    assert.equal(g.resolve('dim.v2')?.uniqueId, 'model.fp.dim_v2');
    assert.deepEqual(g.unresolved(), []);
  });

  test('impactOf groups everything downstream by type, with depths', () => {
    const impact = graph.impactOf('source.shop.raw.customers')!;
    assert.equal(impact.root.uniqueId, 'source.shop.raw.customers');
    const models = impact.byType.model!.map(h => `${h.node.uniqueId}@${h.depth}`);
    assert.equal(models[0], 'model.shop.stg_customers@1');
    for (const m of ['model.shop.orders@2', 'model.shop.customers@2', 'model.finance.fin_orders@3', 'model.shop.dim_customers.v2@3', 'model.shop.customer_report@4']) {
      assert.ok(models.includes(m), `${m} in ${models.join()}`);
    }
    assert.deepEqual(impact.byType.exposure!.map(h => `${h.node.uniqueId}@${h.depth}`), ['exposure.shop.weekly_dashboard@3', 'exposure.shop.kpi_board@6']);
    assert.deepEqual(impact.byType.metric!.map(h => h.node.name), ['revenue', 'revenue_growth']);
    assert.ok(impact.byType.test!.some(h => h.node.uniqueId === 'test.shop.assert_orders_positive'));
    assert.equal(impact.total, Object.values(impact.byType).reduce((s, l) => s + l.length, 0));
    assert.equal(graph.impactOf('model.nope'), undefined);
  });

  test('topoOrder: parents before children across projects; types filter looks through other types', () => {
    const { order, cycles } = graph.topoOrder();
    assert.deepEqual(cycles, []);
    const pos = new Map(order.map((n, i) => [n.uniqueId, i]));
    assert.ok(order.every(n => ['model', 'seed', 'snapshot'].includes(n.resourceType)));
    for (const n of order) for (const h of graph.upstream(n.uniqueId)) {
      if (pos.has(h.node.uniqueId)) assert.ok(pos.get(h.node.uniqueId)! < pos.get(n.uniqueId)!, `${h.node.uniqueId} before ${n.uniqueId}`);
    }
    const chain = LineageGraph.build([project('s', '', [
      node({ uniqueId: 'model.s.late', refs: [{ name: 'snap' }] }),
      node({ uniqueId: 'snapshot.s.snap', refs: [{ name: 'early' }] }),
      node({ uniqueId: 'model.s.early' }),
    ])]);
    assert.deepEqual(ids(chain.topoOrder(['model']).order), ['model.s.early', 'model.s.late']);
  });

  test('grain: unique_key, primary key constraints, unique combination test, unique column test', () => {
    assert.deepEqual(graph.grain('model.shop.orders'), { columns: ['order_id'], evidence: 'unique_key config of the model' });
    assert.deepEqual(graph.grain('model.shop.customers')?.columns, ['id']);
    assert.match(graph.grain('model.shop.customers')!.evidence, /unique test on id/);
    assert.equal(graph.grain('model.shop.stg_orders'), undefined);
    const g = LineageGraph.build([project('g', '', [
      node({ uniqueId: 'model.g.combo', tests: [{ name: 'dbt_utils.unique_combination_of_columns', args: { combination_of_columns: ['day', 'store_id'] },
        location: loc('models/g.yml', 5, 9) }], columns: [col('row_id', [{ name: 'unique', args: {} }])] }),
      node({ uniqueId: 'model.g.pk_col', columns: [col('a'), col('k', [], { constraints: [{ type: 'not_null' }, { type: 'primary_key' }] })] }),
      node({ uniqueId: 'model.g.pk_model', props: { constraints: [{ type: 'primary_key', columns: ['x', 'y'] }] } }),
      node({ uniqueId: 'snapshot.g.snap', config: { tags: [], other: {}, uniqueKey: ['id', 'valid_from'] } }),
    ])]);
    assert.deepEqual(g.grain('combo'), { columns: ['day', 'store_id'], evidence: 'dbt_utils.unique_combination_of_columns test (models/g.yml:5)' });
    assert.deepEqual(g.grain('pk_col'), { columns: ['k'], evidence: 'primary_key constraint on the column' });
    assert.deepEqual(g.grain('pk_model'), { columns: ['x', 'y'], evidence: 'primary_key constraint on the model' });
    assert.deepEqual(g.grain('snap')?.columns, ['id', 'valid_from']);
  });
});

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe('scale', () => {
  test('1,500 models + 15,000 column tests build in < 200 ms; one-level lineage is O(visited)', () => {
    const nodes: DbtNode[] = [];
    for (let s = 0; s < 50; s++) nodes.push(node({ uniqueId: `source.big.raw.t${s}` }));
    for (let i = 0; i < 1500; i++) {
      const refs = i === 0 ? [] : i < 50 ? [{ name: `m${i - 1}` }] : [{ name: `m${(i * 7) % i}` }, { name: `m${(i * 13) % i}` }, { name: `m${i - 1}` }];
      const columns = Array.from({ length: 10 }, (_, c) => col(`c${c}`, [{ name: c === 0 ? 'unique' : 'not_null', args: {} }]));
      nodes.push(node({ uniqueId: `model.big.m${i}`, refs, sources: i < 50 ? [{ source: 'raw', table: `t${i}` }] : [],
        columns, location: loc(`models/m${i}.sql`, 1, 30), relation: { schema: 'analytics', identifier: `m${i}` } }));
    }
    const proj = project('big', '', nodes);
    LineageGraph.build([proj]); // warm-up (JIT)
    // CPU time, best of 5: the machine is shared, and what is measured is the cost of the build itself.
    let best = Infinity;
    let g!: LineageGraph;
    for (let r = 0; r < 5; r++) best = Math.min(best, cpuMs(() => { g = LineageGraph.build([proj]); }));
    assert.equal(g.nodes().filter(n => n.resourceType === 'test').length, 15000);
    assert.ok(best < 200, `build took ${best.toFixed(1)} ms of CPU`);

    const oneLevel = cpuMs(() => { for (let i = 0; i < 1500; i++) g.upstream(`model.big.m${i}`); });
    assert.ok(oneLevel < 100, `1,500 one-level lookups took ${oneLevel.toFixed(1)} ms`);
    assert.equal(g.upstream('model.big.m1499', Infinity).length, 1499 + 50);
    let covering = 0;
    const indexMs = cpuMs(() => { covering = g.testsCovering('model.big.m7').length; });
    assert.equal(covering, 10);
    assert.ok(indexMs < 200, `the first test question (builds the test index) took ${indexMs.toFixed(1)} ms`);
    assert.deepEqual(g.grain('model.big.m7')?.columns, ['c0']);
    assert.equal(g.topoOrder().order.length, 1500);
  });
});
