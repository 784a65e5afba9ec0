import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readDuckDbCatalog } from '../../../src/core/warehouse/duckdb';

const REPO = path.resolve(__dirname, '../../..');
let tmp: string;
let dbPath: string;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-duckdb-'));
  dbPath = path.join(tmp, 'wh.duckdb');
  const db = await DuckDBInstance.create(dbPath);
  const c = await db.connect();
  await c.run(`
    CREATE SCHEMA sales;
    CREATE TABLE sales.orders (id INTEGER NOT NULL, amount DECIMAL(10, 2), note VARCHAR);
    COMMENT ON TABLE sales.orders IS 'One row per order';
    COMMENT ON COLUMN sales.orders.id IS 'Order id';
    INSERT INTO sales.orders SELECT range, range / 10, 'n' FROM range(100);
    DELETE FROM sales.orders WHERE id < 10;
    CREATE TABLE sales.big AS SELECT range AS i FROM range(1000000);
    DELETE FROM sales.big WHERE i < 5;
    CREATE VIEW sales.recent AS SELECT id, amount FROM sales.orders WHERE id > 50;
    COMMENT ON VIEW sales.recent IS 'Orders after 50';
    CREATE TABLE main.settings (k VARCHAR, v VARCHAR);
  `);
  c.closeSync();
  db.closeSync();
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('readDuckDbCatalog', () => {
  test('lists tables and views with columns, comments and row counts, without system schemas', async () => {
    const cat = await readDuckDbCatalog(dbPath);
    assert.equal(cat.error, undefined);
    assert.equal(cat.kind, 'duckdb');
    assert.equal(cat.origin, dbPath);
    assert.deepEqual(cat.tables.map(t => `${t.database}.${t.schema}.${t.name}:${t.kind}`), [
      'wh.main.settings:table', 'wh.sales.big:table', 'wh.sales.orders:table', 'wh.sales.recent:view',
    ]);
    const orders = cat.tables.find(t => t.name === 'orders')!;
    assert.equal(orders.comment, 'One row per order');
    assert.deepEqual(orders.columns, [
      { name: 'id', type: 'INTEGER', nullable: false, comment: 'Order id' },
      { name: 'amount', type: 'DECIMAL(10,2)', nullable: true },
      { name: 'note', type: 'VARCHAR', nullable: true },
    ]);
    // 100 inserted, 10 deleted: the estimate still says 100, the exact count (small table) says 90.
    assert.equal(orders.rowCount, 90);
    // At 1M estimated rows the estimate is used as is (it still counts the 5 deleted rows).
    assert.equal(cat.tables.find(t => t.name === 'big')!.rowCount, 1_000_000);
    const view = cat.tables.find(t => t.name === 'recent')!;
    assert.equal(view.comment, 'Orders after 50');
    assert.equal(view.rowCount, undefined);
    assert.deepEqual(view.columns.map(c => c.name), ['id', 'amount']);
    assert.equal(cat.tables.find(t => t.name === 'settings')!.rowCount, 0);
  });

  test('a missing file is a clear error', async () => {
    const cat = await readDuckDbCatalog(path.join(tmp, 'absent.duckdb'));
    assert.deepEqual(cat.tables, []);
    assert.match(cat.error ?? '', /absent\.duckdb not found — run `dbt build` or `npm run demo`, or set the database path/);
    assert.equal(fs.existsSync(path.join(tmp, 'absent.duckdb')), false, 'reading must not create the file');
  });

  test('a file that is not a DuckDB database, or a folder, is a clear error', async () => {
    const bogus = path.join(tmp, 'notes.duckdb');
    fs.writeFileSync(bogus, 'this is a text file, not a database\n'.repeat(200));
    const cat = await readDuckDbCatalog(bogus);
    assert.deepEqual(cat.tables, []);
    assert.match(cat.error ?? '', /notes\.duckdb is not a DuckDB database file/);
    assert.match((await readDuckDbCatalog(tmp)).error ?? '', /is a folder, not a DuckDB database file/);
  });

  test('a file held by a writing process is reported as locked, with its pid', async () => {
    const held = path.join(tmp, 'held.duckdb');
    const script = `
      const { DuckDBInstance } = require('@duckdb/node-api');
      (async () => {
        const db = await DuckDBInstance.create(process.argv[1]);
        const c = await db.connect();
        await c.run('CREATE TABLE IF NOT EXISTS t (x INTEGER)');
        process.stdout.write('READY\\n');
        process.stdin.on('end', () => process.exit(0));
        process.stdin.resume();
      })().catch(e => { console.error(e); process.exit(1); });`;
    const child = spawn(process.execPath, ['-e', script, held], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise(resolve => child.on('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', d => { if (String(d).includes('READY')) resolve(); });
        child.on('exit', code => reject(new Error(`writer exited early (${code})`)));
      });
      const cat = await readDuckDbCatalog(held);
      assert.deepEqual(cat.tables, []);
      assert.match(cat.error ?? '', new RegExp(`held\\.duckdb is locked by another process \\(pid ${child.pid}\\) that is writing it; close it or wait`));
    } finally {
      child.stdin.end();
      const timer = setTimeout(() => child.kill(), 3000);
      await exited;
      clearTimeout(timer);
    }
    // Once the writer is gone the same file reads fine.
    const cat = await readDuckDbCatalog(held);
    assert.equal(cat.error, undefined);
    assert.deepEqual(cat.tables.map(t => t.name), ['t']);
  });
});
