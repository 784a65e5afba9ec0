import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DbtNode, NodeConfig, WarehouseCatalog, WarehouseTable } from '../../../src/core/types';
import { linkCatalog } from '../../../src/core/warehouse/link';

function node(resourceType: DbtNode['resourceType'], name: string, extra: { config?: Partial<NodeConfig>; props?: Record<string, unknown>; relation?: DbtNode['relation']; id?: string } = {}): DbtNode {
  return {
    uniqueId: extra.id ?? `${resourceType}.shop.${name}`, resourceType, name, project: 'shop', docRefs: [], columns: [], tests: [],
    config: { tags: [], other: {}, ...extra.config }, tags: [], meta: {}, refs: [], sources: [], macros: [], ctes: [], isIncremental: false,
    props: extra.props ?? {}, relation: extra.relation,
  };
}

function source(sourceName: string, table: string, extra: { schema?: string; identifier?: string; database?: string } = {}): DbtNode {
  return node('source', table, {
    id: `source.shop.${sourceName}.${table}`, props: { source_name: sourceName },
    relation: { schema: extra.schema, database: extra.database, identifier: extra.identifier ?? table },
  });
}

function catalog(...rels: string[]): WarehouseCatalog {
  const tables: WarehouseTable[] = rels.map(r => {
    const [database, schema, name] = r.split('.');
    return { database, schema, name, kind: 'table', columns: [] };
  });
  return { kind: 'duckdb', origin: 'test', tables };
}

/** `schema.name → nodeId` of the linked tables. */
function links(cat: WarehouseCatalog): Record<string, string | undefined> {
  return Object.fromEntries(cat.tables.map(t => [`${t.database}.${t.schema}.${t.name}`, t.nodeId]));
}

describe('linkCatalog', () => {
  test('models follow generate_schema_name; a schema match wins over a same-named table elsewhere', () => {
    const nodes = [node('model', 'orders'), node('model', 'customers', { config: { schema: 'marts' } })];
    const cat = catalog('db.analytics.orders', 'db.staging.orders', 'db.analytics_marts.customers', 'db.analytics.customers');
    assert.deepEqual(links(linkCatalog(cat, nodes, { targetSchema: 'analytics' })), {
      'db.analytics.orders': 'model.shop.orders',
      'db.staging.orders': undefined,
      'db.analytics_marts.customers': 'model.shop.customers',
      'db.analytics.customers': undefined,
    });
  });

  test('an exact custom schema is accepted (projects that override generate_schema_name)', () => {
    const nodes = [node('model', 'customers', { config: { schema: 'marts' } })];
    assert.deepEqual(links(linkCatalog(catalog('db.marts.customers'), nodes, { targetSchema: 'analytics' })), { 'db.marts.customers': 'model.shop.customers' });
  });

  test('aliases, seeds and snapshots (target_schema) are matched by the relation they build', () => {
    const nodes = [
      node('model', 'fct_orders', { config: { alias: 'fact_orders', schema: 'marts' } }),
      node('seed', 'country_codes', { config: { schema: 'raw' } }),
      node('snapshot', 'orders_snapshot', { config: { other: { target_schema: 'snapshots' } } }),
    ];
    const cat = catalog('db.main_marts.fact_orders', 'db.main_marts.fct_orders', 'db.main_raw.country_codes', 'db.snapshots.orders_snapshot');
    assert.deepEqual(links(linkCatalog(cat, nodes, { targetSchema: 'main' })), {
      'db.main_marts.fact_orders': 'model.shop.fct_orders',
      'db.main_marts.fct_orders': undefined,
      'db.main_raw.country_codes': 'seed.shop.country_codes',
      'db.snapshots.orders_snapshot': 'snapshot.shop.orders_snapshot',
    });
  });

  test('matching ignores case (Snowflake upper-cases unquoted names)', () => {
    const nodes = [node('model', 'Orders'), source('jaffle', 'raw_orders', { schema: 'raw', database: 'raw_db' })];
    const cat = catalog('ANALYTICS.DBT_ANA.ORDERS', 'RAW_DB.RAW.RAW_ORDERS');
    assert.deepEqual(links(linkCatalog(cat, nodes, { targetSchema: 'dbt_ana', targetDatabase: 'analytics' })), {
      'ANALYTICS.DBT_ANA.ORDERS': 'model.shop.Orders',
      'RAW_DB.RAW.RAW_ORDERS': 'source.shop.jaffle.raw_orders',
    });
  });

  test('sources: declared schema, else the source name; identifier over name; a differing database excludes', () => {
    const nodes = [
      source('jaffle', 'orders', { schema: 'raw', identifier: 'orders_v2' }),
      source('crm', 'accounts'),
      source('billing', 'invoices', { schema: 'billing', database: 'finance' }),
    ];
    const cat = catalog('db.raw.orders_v2', 'db.raw.orders', 'db.crm.accounts', 'db.billing.invoices');
    assert.deepEqual(links(linkCatalog(cat, nodes)), {
      'db.raw.orders_v2': 'source.shop.jaffle.orders',
      'db.raw.orders': undefined,
      'db.crm.accounts': 'source.shop.crm.accounts',
      'db.billing.invoices': undefined,
    });
  });

  test('a builder wins over a source declaring the same relation; without a target schema builders match any schema', () => {
    const nodes = [source('jaffle', 'raw_orders', { schema: 'raw' }), node('seed', 'raw_orders')];
    const cat = catalog('db.raw.raw_orders', 'db.main.raw_orders');
    assert.deepEqual(links(linkCatalog(cat, nodes)), {
      'db.raw.raw_orders': 'source.shop.jaffle.raw_orders',
      'db.main.raw_orders': 'seed.shop.raw_orders',
    });
    const same = linkCatalog(catalog('db.main.raw_orders'), [source('jaffle', 'raw_orders', { schema: 'main' }), node('seed', 'raw_orders')], { targetSchema: 'main' });
    assert.equal(same.tables[0].nodeId, 'seed.shop.raw_orders');
  });

  test('a name-only match is used only when unambiguous on both sides', () => {
    const nodes = [node('model', 'orders'), node('model', 'payments')];
    const cat = catalog('db.prod.orders', 'db.prod.payments', 'db.archive.payments');
    assert.deepEqual(links(linkCatalog(cat, nodes, { targetSchema: 'dbt_alice' })), {
      'db.prod.orders': 'model.shop.orders',
      'db.prod.payments': undefined,
      'db.archive.payments': undefined,
    });
  });

  test('ignores disabled nodes and non-relation nodes, replaces stale links and leaves the input untouched', () => {
    const cat = catalog('db.main.orders', 'db.main.not_null_orders_id', 'db.main.cents');
    cat.tables[0].nodeId = 'model.old.orders';
    const nodes = [node('model', 'orders', { config: { enabled: false } }), node('test', 'not_null_orders_id'), node('macro', 'cents')];
    const linked = linkCatalog(cat, nodes, { targetSchema: 'main' });
    assert.deepEqual(linked.tables.map(t => t.nodeId), [undefined, undefined, undefined]);
    assert.equal(cat.tables[0].nodeId, 'model.old.orders');
  });
});
