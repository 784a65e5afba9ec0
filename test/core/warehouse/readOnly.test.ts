import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readDuckDbCatalog } from '../../../src/core/warehouse/duckdb';
import { QueryTimeoutError, WarehouseError } from '../../../src/core/warehouse/duckdbOpen';
import { openReadOnly, type ReadOnlyWarehouse } from '../../../src/core/warehouse/readOnly';

let tmp: string;
let dbPath: string;
let wh: ReadOnlyWarehouse;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-readonly-'));
  dbPath = path.join(tmp, 'wh.duckdb');
  const db = await DuckDBInstance.create(dbPath);
  const c = await db.connect();
  await c.run(`
    CREATE SCHEMA sales;
    CREATE TABLE sales.orders AS SELECT range AS id, range * 2.5 AS amount FROM range(20);
    CREATE TABLE main.kinds AS SELECT
      42::BIGINT AS small_big, 12345678901234567890::HUGEINT AS huge, 12.34::DECIMAL(10, 2) AS dec,
      DATE '2024-01-02' AS d, TIMESTAMP '2024-01-02 03:04:05.5' AS ts, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tstz,
      NULL::VARCHAR AS nothing, [1, 2]::BIGINT[] AS list, {'a': 7::BIGINT, 'b': 'x'} AS struct, INTERVAL 3 DAY AS span, true AS flag;
  `);
  c.closeSync();
  db.closeSync();
  wh = await openReadOnly(dbPath);
});
after(() => {
  wh?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('openReadOnly', () => {
  test('reads the attached file by unqualified names, converting values to JSON-friendly JS', async () => {
    const r = await wh.query('SELECT * FROM kinds');
    assert.deepEqual(r.columns.map(c => `${c.name}:${c.type}`), [
      'small_big:BIGINT', 'huge:HUGEINT', 'dec:DECIMAL(10,2)', 'd:DATE', 'ts:TIMESTAMP', 'tstz:TIMESTAMP WITH TIME ZONE',
      'nothing:VARCHAR', 'list:BIGINT[]', 'struct:STRUCT("a" BIGINT, "b" VARCHAR)', 'span:INTERVAL', 'flag:BOOLEAN',
    ]);
    assert.deepEqual(r.rows, [[42, '12345678901234567890', 12.34, '2024-01-02', '2024-01-02T03:04:05.5', '2024-01-02T03:04:05+00:00',
      null, [1, 2], { a: 7, b: 'x' }, '3 days', true]]);
    assert.equal(r.truncated, false);
    assert.ok(r.elapsedMs >= 0);
    assert.doesNotThrow(() => JSON.stringify(r));
  });

  test('stops at maxRows and says the result was truncated', async () => {
    const r = await wh.query('SELECT id FROM sales.orders ORDER BY id', { maxRows: 5 });
    assert.deepEqual(r.rows, [[0], [1], [2], [3], [4]]);
    assert.equal(r.truncated, true);
    const all = await wh.query('SELECT id FROM sales.orders', { maxRows: 20 });
    assert.equal(all.rows.length, 20);
    assert.equal(all.truncated, false);
  });

  test('DuckDB itself refuses writes to the warehouse', async () => {
    await assert.rejects(wh.query('CREATE TABLE sales.evil (x INTEGER)'), /read-only mode/);
    await assert.rejects(wh.query('INSERT INTO sales.orders VALUES (99, 1.0)'), /read-only mode/);
    await assert.rejects(wh.query('DROP TABLE sales.orders'), /read-only mode/);
    const count = await wh.query('SELECT count(*) FROM sales.orders');
    assert.deepEqual(count.rows, [[20]]);
  });

  test('file access and the configuration are locked', async () => {
    await assert.rejects(wh.query("SELECT * FROM read_csv('/etc/passwd')"), /disabled by configuration/);
    await assert.rejects(wh.query(`COPY sales.orders TO '${path.join(tmp, 'leak.csv')}'`), /disabled by configuration/);
    await assert.rejects(wh.query('SET enable_external_access = true'), /configuration has been locked/);
    await assert.rejects(wh.query(`ATTACH '${path.join(tmp, 'other.duckdb')}' AS other`));
    assert.equal(fs.existsSync(path.join(tmp, 'leak.csv')), false);
    assert.equal(fs.existsSync(path.join(tmp, 'other.duckdb')), false);
  });

  test('a long query is interrupted by the timeout and the connection stays usable', async () => {
    const started = Date.now();
    await assert.rejects(
      wh.query('SELECT count(*) FROM range(1000000000000) t(a) WHERE a % 7 = 3', { timeoutMs: 300 }),
      (e: unknown) => e instanceof QueryTimeoutError && /ran longer than the 300 ms timeout/.test(e.message),
    );
    assert.ok(Date.now() - started < 5000, `cancelled after ${Date.now() - started} ms`);
    assert.deepEqual((await wh.query('SELECT 1 + 1')).rows, [[2]]);
  });

  test('other readers can read the file while it is open', async () => {
    const cat = await readDuckDbCatalog(dbPath);
    assert.equal(cat.error, undefined);
    assert.deepEqual(cat.tables.map(t => t.name), ['kinds', 'orders']);
  });

  test('a missing file is a clear WarehouseError; a closed connection refuses queries', async () => {
    await assert.rejects(openReadOnly(path.join(tmp, 'nope.duckdb')), (e: unknown) => e instanceof WarehouseError && /not found — run `dbt build`/.test(e.message));
    const second = await openReadOnly(dbPath);
    second.close();
    await assert.rejects(second.query('SELECT 1'), /closed/);
  });
});

test('views that name their catalog the way dbt-duckdb writes them ("jaffle"."marts"."x") still read', async () => {
  const file = path.join(tmp, 'jaffle.duckdb');
  const db = await DuckDBInstance.create(file);
  const c = await db.connect();
  await c.run(`CREATE SCHEMA marts; CREATE TABLE marts.orders AS SELECT range AS id FROM range(3);
    CREATE VIEW marts.orders_v AS SELECT id FROM "jaffle"."marts"."orders";`);
  c.closeSync();
  db.closeSync();
  const ro = await openReadOnly(file);
  try {
    assert.equal((await ro.query('SELECT count(*) AS n FROM marts.orders_v')).rows[0][0], 3);
    assert.equal((await ro.query('SELECT count(*) AS n FROM jaffle.marts.orders')).rows[0][0], 3);
  } finally {
    ro.close();
  }
});
