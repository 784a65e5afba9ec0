// The DuckDB WarehouseConnection on real files: guarded, limit-wrapped queries; catalog listing; and a clear
// WarehouseConnectionError for a missing file, a file locked by a writer, bad SQL, a timeout and a cancel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { WarehouseConnectionError, type WarehouseConnection } from '../../../src/core/warehouse/connection';
import { openDuckDbConnection } from '../../../src/core/warehouse/duckdbConnection';

const ROOT = path.resolve(__dirname, '../../..');
let tmp: string;
let dbPath: string;
let conn: WarehouseConnection;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-duckconn-'));
  dbPath = path.join(tmp, 'shop.duckdb');
  const db = await DuckDBInstance.create(dbPath);
  const c = await db.connect();
  await c.run(`
    CREATE SCHEMA marts;
    CREATE TABLE marts.orders AS SELECT range AS order_id, range % 5 AS customer_id, range * 1.5 AS amount FROM range(30);
    COMMENT ON TABLE marts.orders IS 'One row per order';
    COMMENT ON COLUMN marts.orders.amount IS 'Order amount in dollars';
    CREATE VIEW marts.big_orders AS SELECT * FROM marts.orders WHERE amount > 30;
  `);
  c.closeSync();
  db.closeSync();
  conn = await openDuckDbConnection(dbPath);
});
after(async () => {
  await conn?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const reasonOf = (reason: WarehouseConnectionError['reason'], message?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof WarehouseConnectionError, String(e));
  assert.equal(e.reason, reason, e.message);
  if (message) assert.match(e.message, message);
  return true;
};

describe('openDuckDbConnection: queries', () => {
  test('runs a guarded select, wrapped with the limit, and returns what it sent', async () => {
    const r = await conn.query('select order_id, amount from marts.orders order by order_id -- first ones', { maxRows: 5, timeoutMs: 5000 });
    assert.equal(conn.kind, 'duckdb');
    assert.deepEqual(r.columns.map(c => c.name), ['order_id', 'amount']);
    assert.deepEqual(r.rows, [[0, 0], [1, 1.5], [2, 3], [3, 4.5], [4, 6]]);
    assert.equal(r.truncated, true);
    assert.equal(r.sql, 'select * from (\nselect order_id, amount from marts.orders order by order_id\n) limit 6');
    const all = await conn.query('select count(*) as n from marts.orders;', { maxRows: 5, timeoutMs: 5000 });
    assert.deepEqual(all.rows, [[30]]);
    assert.equal(all.truncated, false);
  });

  test('SHOW and DESCRIBE run unwrapped and are limited client-side', async () => {
    const r = await conn.query('describe marts.orders', { maxRows: 2, timeoutMs: 5000 });
    assert.equal(r.sql, 'describe marts.orders');
    assert.equal(r.rows.length, 2);
    assert.equal(r.truncated, true);
  });

  test('writes, file reads and several statements are refused before running', async () => {
    await assert.rejects(conn.query('delete from marts.orders', { maxRows: 5, timeoutMs: 5000 }), reasonOf('refused', /`DELETE` changes data/));
    await assert.rejects(conn.query("select * from read_csv('/etc/passwd')", { maxRows: 5, timeoutMs: 5000 }), reasonOf('refused', /read_csv/));
    await assert.rejects(conn.query('select 1; drop table marts.orders', { maxRows: 5, timeoutMs: 5000 }), reasonOf('refused', /2 statements/));
    assert.deepEqual((await conn.query('select count(*) from marts.orders', { maxRows: 1, timeoutMs: 5000 })).rows, [[30]]);
  });

  test('a SQL error says what DuckDB said and what to do', async () => {
    await assert.rejects(conn.query('select nope from marts.orders', { maxRows: 5, timeoutMs: 5000 }), reasonOf('sql', /rejected the query: Binder Error: .*nope.*retry with the exact schema/));
    await assert.rejects(conn.query('select * from marts.order', { maxRows: 5, timeoutMs: 5000 }), reasonOf('sql', /Did you mean "orders"/));
  });

  test('a long query is cancelled by the timeout and the connection keeps working', async () => {
    const started = Date.now();
    await assert.rejects(conn.query('select count(*) from range(1000000000000) t(a) where a % 7 = 3', { maxRows: 5, timeoutMs: 300 }), reasonOf('timeout', /longer than the 300 ms timeout/));
    assert.ok(Date.now() - started < 5000);
    assert.deepEqual((await conn.query('select 1 + 1', { maxRows: 1, timeoutMs: 5000 })).rows, [[2]]);
  });

  test('an abort answers at once; close waits for the statement to stop, then frees the file', async () => {
    const own = await openDuckDbConnection(dbPath);
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(own.query('select count(*) from range(1000000000000) t(a) where a % 7 = 3', { maxRows: 5, timeoutMs: 1500, signal: ac.signal }), reasonOf('other', /cancelled/));
    assert.ok(Date.now() - started < 1000, `answered after ${Date.now() - started} ms`);
    await own.close();
    await assert.rejects(own.query('select 1', { maxRows: 1, timeoutMs: 1000 }), reasonOf('other', /closed/));
    await assert.rejects(conn.query('select 1', { maxRows: 1, timeoutMs: 1000, signal: AbortSignal.abort() }), reasonOf('other', /cancelled/));
  });
});

describe('openDuckDbConnection: catalog', () => {
  test('lists schemas and tables with kinds, comments and row counts', async () => {
    assert.deepEqual((await conn.listSchemas()).map(s => s.schema), ['main', 'marts']);
    const tables = await conn.listTables('marts');
    assert.deepEqual(tables.map(t => `${t.schema}.${t.name}:${t.kind}`), ['marts.big_orders:view', 'marts.orders:table']);
    const orders = tables.find(t => t.name === 'orders')!;
    assert.equal(orders.comment, 'One row per order');
    assert.equal(orders.rowCount, 30);
    assert.deepEqual(await conn.listTables('nope'), []);
  });

  test('describes a table by name, schema.name or a quoted name; unknown names give undefined', async () => {
    const t = await conn.describeTable('marts.orders');
    assert.ok(t);
    assert.equal(t.kind, 'table');
    assert.equal(t.rowCount, 30);
    assert.equal(t.comment, 'One row per order');
    assert.deepEqual(t.columns.map(c => `${c.name}:${c.type}`), ['order_id:BIGINT', 'customer_id:BIGINT', 'amount:DECIMAL(21,1)']);
    assert.equal(t.columns[2].comment, 'Order amount in dollars');
    assert.equal((await conn.describeTable('"marts"."big_orders"'))?.kind, 'view');
    assert.equal((await conn.describeTable('ORDERS'))?.name, 'orders');
    assert.equal(await conn.describeTable('marts.nope'), undefined);
    assert.equal(await conn.describeTable("x'; drop table marts.orders; --"), undefined);
  });
});

describe('openDuckDbConnection: opening', () => {
  test('a missing file is a `missing` error that says what to do', async () => {
    await assert.rejects(openDuckDbConnection(path.join(tmp, 'nope.duckdb')), reasonOf('missing', /not found — run `dbt build`/));
  });

  test('a file locked by a writing process is a `locked` error naming the process', async () => {
    const locked = path.join(tmp, 'locked.duckdb');
    const writer = await startWriter(locked);
    try {
      await assert.rejects(openDuckDbConnection(locked), reasonOf('locked', new RegExp(`locked by another process \\(pid ${writer.pid}\\)`)));
    } finally {
      await stop(writer);
    }
    const after = await openDuckDbConnection(locked);
    assert.deepEqual((await after.query('select count(*) from t', { maxRows: 1, timeoutMs: 5000 })).rows, [[1]]);
    await after.close();
  });
});

/** A separate process that opens `file` for writing and keeps it open (as `dbt build` does) until stopped. */
function startWriter(file: string): Promise<ChildProcess> {
  const script = `const { DuckDBInstance } = require('@duckdb/node-api');
    (async () => { const db = await DuckDBInstance.create(${JSON.stringify(file)}); const c = await db.connect();
      await c.run('create table if not exists t as select 1 as a'); process.stdout.write('ready\\n'); setInterval(() => {}, 1000); })();`;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', d => { if (String(d).includes('ready')) resolve(child); });
    child.on('exit', code => reject(new Error(`the writer exited early (${code})`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill();
  });
}
