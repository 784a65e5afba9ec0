import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ParsedProject, WarehouseCatalog } from '../../../src/core/types';
import { readDuckDbCatalog } from '../../../src/core/warehouse/duckdb';
import { linkCatalog } from '../../../src/core/warehouse/link';
import { buildLocalWarehouse, type LocalBuildResult } from '../../../src/core/warehouse/localBuild';
import { openReadOnly } from '../../../src/core/warehouse/readOnly';
import { loadFixtureProject } from './fixtureProject';

const FIXTURE = path.resolve(__dirname, '../../fixtures/warehouse/shop');
let tmp: string;
let dbPath: string;
let project: ParsedProject;
let result: LocalBuildResult;
let catalog: WarehouseCatalog;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-localbuild-'));
  dbPath = path.join(tmp, 'out', 'shop.duckdb');
  // The project sits in a sub-folder of the workspace, so node locations are 'apps/shop/...'.
  project = loadFixtureProject(FIXTURE, 'apps/shop');
  result = await buildLocalWarehouse(project, FIXTURE, dbPath);
  catalog = await readDuckDbCatalog(dbPath);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const table = (schema: string, name: string) => catalog.tables.find(t => t.schema === schema && t.name === name);

describe('buildLocalWarehouse', () => {
  test('builds seeds and models in dependency order and reports each failure with its reason', () => {
    assert.deepEqual(result.built, [
      'seed.shop.raw_customers', 'seed.shop.raw_orders',
      'model.shop.stg_customers', 'model.shop.stg_orders', 'model.shop.customers', 'model.shop.fct_orders',
    ]);
    const reasons = Object.fromEntries(result.failed.map(f => [f.node, f.reason]));
    assert.deepEqual(Object.keys(reasons).sort(), [
      'model.shop.customer_status', 'model.shop.order_status_pivot', 'model.shop.stg_returns', 'source.shop.jaffle.raw_returns',
    ]);
    assert.match(reasons['source.shop.jaffle.raw_returns'], /no seed named raw_returns/);
    assert.match(reasons['model.shop.stg_returns'], /source\('jaffle', 'raw_returns'\) has no seed named raw_returns/);
    assert.match(reasons['model.shop.order_status_pivot'], /'\{% for %\}' blocks are not supported/);
    assert.equal(reasons['model.shop.customer_status'], 'depends on order_status_pivot, which failed');
  });

  test('puts relations where dbt would: custom schemas, aliases, materializations, source schemas', () => {
    assert.equal(catalog.error, undefined);
    assert.deepEqual(catalog.tables.map(t => `${t.schema}.${t.name}:${t.kind}`), [
      'main.raw_customers:table', 'main.raw_orders:table',
      'main_marts.customers:table', 'main_marts.fact_orders:table',
      'main_staging.stg_customers:view', 'main_staging.stg_orders:view',
      'raw.raw_orders:view',
    ]);
    assert.ok(catalog.tables.every(t => t.database === 'shop'));
    assert.equal(fs.readdirSync(path.dirname(dbPath)).join(','), 'shop.duckdb', 'no temporary build files are left');
  });

  test('renders macros (with defaults and keyword arguments), vars and seed column types', () => {
    const seed = table('main', 'raw_orders')!;
    assert.equal(seed.columns.find(c => c.name === 'amount_cents')?.type, 'INTEGER');
    assert.equal(table('main_staging', 'stg_orders')!.columns.find(c => c.name === 'amount')?.type, 'DECIMAL(16,2)');
    assert.equal(table('main_marts', 'fact_orders')!.columns.find(c => c.name === 'amount_precise')?.type, 'DECIMAL(16,4)');
    // var('min_order_cents') = 1 drops the zero-amount order; is_incremental() blocks are gone (full refresh).
    assert.equal(table('main_marts', 'fact_orders')!.rowCount, 3);
    assert.equal(table('main', 'raw_orders')!.rowCount, 4);
  });

  test('writes the YAML descriptions as table and column comments, skipping undocumented-in-warehouse columns', () => {
    const customers = table('main_marts', 'customers')!;
    assert.equal(customers.comment, 'One row per customer with their order totals.');
    assert.equal(customers.columns.find(c => c.name === 'lifetime_value')?.comment, "Sum of the customer's order amounts, in dollars.");
    assert.equal(customers.columns.find(c => c.name === 'full_name')?.comment, undefined);
    assert.equal(table('raw', 'raw_orders')!.comment, 'One row per order, as the shop recorded it.');
    // source crm.raw_customers declares no schema, so the seed table is the source and carries its YAML.
    const rawCustomers = table('main', 'raw_customers')!;
    assert.equal(rawCustomers.comment, 'Customers as the CRM exports them.');
    assert.equal(rawCustomers.columns.find(c => c.name === 'first_name')?.comment, 'Given name.');
  });

  test('the built data is what the SQL says', async () => {
    const wh = await openReadOnly(dbPath);
    try {
      const r = await wh.query('SELECT full_name, order_count, lifetime_value FROM main_marts.customers ORDER BY customer_id');
      assert.deepEqual(r.rows, [['Ada Lovelace', 2, 20.5], ['Grace Hopper', 1, 49.99], ['Alan Turing', 0, 0]]);
    } finally {
      wh.close();
    }
  });

  test('the catalog links back to the nodes that built or declared each relation', () => {
    const linked = linkCatalog(catalog, project.nodes, { targetSchema: 'main' });
    assert.deepEqual(Object.fromEntries(linked.tables.map(t => [`${t.schema}.${t.name}`, t.nodeId])), {
      'main.raw_customers': 'seed.shop.raw_customers',
      'main.raw_orders': 'seed.shop.raw_orders',
      'main_marts.customers': 'model.shop.customers',
      'main_marts.fact_orders': 'model.shop.fct_orders',
      'main_staging.stg_customers': 'model.shop.stg_customers',
      'main_staging.stg_orders': 'model.shop.stg_orders',
      'raw.raw_orders': 'source.shop.jaffle.raw_orders',
    });
  });

  test("a project's own generate_schema_name is followed when simple, else dbt's default rule", async () => {
    const copy = path.join(tmp, 'override');
    fs.cpSync(FIXTURE, copy, { recursive: true });
    const macro = path.join(copy, 'macros', 'generate_schema_name.sql');
    const schemasWith = async (body: string) => {
      fs.writeFileSync(macro, body);
      const db = path.join(tmp, 'override.duckdb');
      await buildLocalWarehouse(loadFixtureProject(copy), copy, db);
      return [...new Set((await readDuckDbCatalog(db)).tables.map(t => t.schema))].sort();
    };
    const asIs = `{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%} {{ target.schema }} {%- else -%} {{ custom_schema_name | trim }} {%- endif -%}
{%- endmacro %}`;
    assert.deepEqual(await schemasWith(asIs), ['main', 'marts', 'raw', 'staging']);
    const dispatching = `{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ default__generate_schema_name(custom_schema_name, node) }}
{%- endmacro %}`;
    assert.deepEqual(await schemasWith(dispatching), ['main', 'main_marts', 'main_staging', 'raw']);
  });

  test('rebuilding replaces the file, and a custom target schema moves every relation', async () => {
    const again = await buildLocalWarehouse(project, FIXTURE, dbPath, { targetSchema: 'dev' });
    assert.deepEqual(again.built, result.built);
    const cat = await readDuckDbCatalog(dbPath);
    assert.deepEqual([...new Set(cat.tables.map(t => t.schema))].sort(), ['dev', 'dev_marts', 'dev_staging', 'raw']);
  });
});
