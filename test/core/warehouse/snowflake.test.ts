// The Snowflake connector through the real snowflake-sdk against the local stand-in server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WarehouseConnectionError } from '../../../src/core/warehouse/connection';
import type { SnowflakeConnectionConfig } from '../../../src/core/warehouse/profiles';
import { openSnowflake, readSnowflakeCatalog, type SnowflakeWarehouse } from '../../../src/core/warehouse/snowflake';
import { setSnowflakeDriverLog } from '../../../src/core/warehouse/snowflakeDriver';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../support/snowflake-standin';

const PASSWORD = 'pw-Secret-7f3a9c';
const cfg: SnowflakeConnectionConfig = {
  type: 'snowflake', profileName: 'shop', targetName: 'dev', account: 'standin_acct', user: 'analyst',
  role: 'analyst', warehouse: 'compute_wh', database: 'analytics', schema: 'marts',
};

// The driver writes snowflake.log into the working directory unless configured: run from an empty folder to see.
const startCwd = process.cwd();
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-sf-cwd-'));
const driverLog: string[] = [];
let standin: SnowflakeStandin;
let conn: SnowflakeWarehouse;

before(async () => {
  process.chdir(cwd);
  setSnowflakeDriverLog({ level: 'TRACE', sink: (level, m) => driverLog.push(`${level} ${m}`) });
  standin = await startSnowflakeStandin({
    progressAfterMs: 150,
    users: { ANALYST: { password: PASSWORD, roles: ['ANALYST', 'PUBLIC'] } },
  });
  conn = await openSnowflake(cfg, { password: PASSWORD, accessUrl: standin.url, timeoutMs: 20_000 });
});

after(async () => {
  await conn?.close();
  await standin?.close();
  setSnowflakeDriverLog({ level: 'OFF' });
  process.chdir(startCwd);
  fs.rmSync(cwd, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<WarehouseConnectionError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof WarehouseConnectionError, `expected a WarehouseConnectionError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('Snowflake connection', () => {
  test('logs in with the configured role and warehouse and sets the session statement timeout', () => {
    const [s] = standin.sessions();
    assert.equal(s.user, 'ANALYST');
    assert.equal(s.role, 'ANALYST');
    assert.equal(s.warehouse, 'COMPUTE_WH');
    assert.equal(s.database, 'ANALYTICS');
    assert.equal(s.parameters.STATEMENT_TIMEOUT_IN_SECONDS, '20');
    assert.equal(conn.label.includes(PASSWORD), false);
  });

  test('reads schemas, tables (row counts, comments) and columns from INFORMATION_SCHEMA', async () => {
    assert.deepEqual(await conn.listSchemas(), [{ database: 'ANALYTICS', schema: 'MARTS' }, { database: 'ANALYTICS', schema: 'STAGING' }]);
    const tables = await conn.listTables();
    assert.deepEqual(tables.map(t => `${t.schema}.${t.name}:${t.kind}:${t.rowCount ?? '-'}`),
      ['MARTS.CUSTOMERS:table:3', 'MARTS.CUSTOMER_REVENUE:view:-', 'MARTS.ORDERS:table:4', 'STAGING.STG_EVENTS:table:250']);
    assert.equal(tables.find(t => t.name === 'ORDERS')?.comment, 'One row per order');
    assert.deepEqual((await conn.listTables('analytics.staging')).map(t => t.name), ['STG_EVENTS']);

    const customers = await conn.describeTable('customers');
    assert.ok(customers);
    assert.equal(customers.comment, 'One row per customer');
    assert.deepEqual(customers.columns.map(c => `${c.name} ${c.type}${c.nullable ? '' : ' not null'}`), [
      'CUSTOMER_ID NUMBER(38,0) not null', 'CUSTOMER_NAME TEXT', 'EMAIL TEXT', 'SIGNED_UP_ON DATE', 'IS_ACTIVE BOOLEAN', 'LIFETIME_VALUE NUMBER(12,2)',
    ]);
    assert.equal(customers.columns[0].comment, 'Primary key of a customer');
    assert.equal((await conn.describeTable('ANALYTICS.STAGING.STG_EVENTS'))?.columns.length, 2);
    assert.equal(await conn.describeTable('marts.no_such_table'), undefined);
  });

  test('reads the catalog for the index, optionally limited to schemas', async () => {
    const all = await readSnowflakeCatalog(conn);
    assert.equal(all.kind, 'snowflake');
    assert.equal(all.error, undefined);
    assert.equal(all.origin, 'snowflake://standin_acct/analytics');
    assert.deepEqual(all.tables.map(t => `${t.schema}.${t.name}/${t.columns.length}`),
      ['MARTS.CUSTOMERS/6', 'MARTS.CUSTOMER_REVENUE/2', 'MARTS.ORDERS/6', 'STAGING.STG_EVENTS/2']);
    const marts = await readSnowflakeCatalog(conn, { schemas: ['marts'] });
    assert.deepEqual(marts.tables.map(t => t.name), ['CUSTOMERS', 'CUSTOMER_REVENUE', 'ORDERS']);
    const missing = await readSnowflakeCatalog(conn, { database: 'nowhere' });
    assert.equal(missing.tables.length, 0);
  });

  test('returns rows as JSON-friendly values with Snowflake types', async () => {
    const r = await conn.query(`SELECT o.ORDER_ID, c.CUSTOMER_NAME, c.SIGNED_UP_ON, c.IS_ACTIVE, o.AMOUNT, o.DISCOUNT, o.ORDERED_AT, c.EMAIL
      FROM ORDERS o JOIN CUSTOMERS c USING (CUSTOMER_ID) ORDER BY o.ORDER_ID`, { maxRows: 100, timeoutMs: 5000 });
    assert.deepEqual(r.columns.map(c => c.type), ['NUMBER(38,0)', 'TEXT', 'DATE', 'BOOLEAN', 'NUMBER(10,2)', 'FLOAT', 'TIMESTAMP_NTZ', 'TEXT']);
    assert.deepEqual(r.rows, [
      [10, 'Ada Lovelace', '2023-01-05', true, 70.5, 0.1, '2024-03-01T09:30:00.000', 'ada@example.com'],
      [11, 'Ada Lovelace', '2023-01-05', true, 50, null, '2024-03-02T10:00:00.000', 'ada@example.com'],
      [12, 'Grace Hopper', null, null, 99.99, 0, '2024-04-15T16:45:30.250', 'grace@example.com'],
      [13, 'Linus T', '2023-02-11', false, 12, null, null, null],
    ]);
    assert.equal(r.truncated, false);
    assert.ok(r.elapsedMs >= 0);
    assert.match(r.sql, /FROM ORDERS o/);
  });

  test('keeps every digit of numbers a double would round', async () => {
    const r = await conn.query('SELECT 12345678901234567890 AS BIG, 9007199254740991 AS SAFE, 1234567890.123456789::DECIMAL(38,9) AS DEC', { maxRows: 1, timeoutMs: 5000 });
    assert.deepEqual(r.rows[0], ['12345678901234567890', 9007199254740991, '1234567890.123456789']);
  });

  test('semi-structured, time, time-zoned and binary values become JSON values and strings', async () => {
    const r = await conn.query(`SELECT [1, 2] AS ARR, {'a': 1, 'b': 'x'} AS OBJ, TIME '12:34:56' AS T,
      TIMESTAMPTZ '2024-01-02 03:04:05+00' AS TZ, 'ab'::BLOB AS B`, { maxRows: 1, timeoutMs: 5000 });
    assert.deepEqual(r.columns.map(c => c.type), ['VARIANT', 'VARIANT', 'TIME', 'TIMESTAMP_LTZ', 'BINARY']);
    assert.deepEqual(r.rows[0], [[1, 2], { a: 1, b: 'x' }, '12:34:56', '2024-01-02T03:04:05.000Z', '6162']);
  });

  test('cuts the result at maxRows and says so', async () => {
    const r = await conn.query('SELECT * FROM ANALYTICS.STAGING.STG_EVENTS ORDER BY EVENT_ID', { maxRows: 25, timeoutMs: 5000 });
    assert.equal(r.rows.length, 25);
    assert.equal(r.truncated, true);
    assert.deepEqual(r.rows[24], [24, 'event 24']);
    const exact = await conn.query('SELECT * FROM CUSTOMERS', { maxRows: 3, timeoutMs: 5000 });
    assert.equal(exact.rows.length, 3);
    assert.equal(exact.truncated, false);
    const none = await conn.query('SELECT * FROM CUSTOMERS', { maxRows: 0, timeoutMs: 5000 });
    assert.deepEqual([none.rows.length, none.truncated, none.columns.length], [0, true, 6]);
  });

  test('a SQL error carries Snowflake code and message', async () => {
    const e = await rejection(conn.query('SELECT NO_SUCH_COLUMN FROM CUSTOMERS', { maxRows: 10, timeoutMs: 5000 }));
    assert.equal(e.reason, 'sql');
    assert.match(e.message, /^Snowflake SQL error 000904 \(42000\): SQL compilation error/);
    const missing = await rejection(conn.query('SELECT * FROM NO_SUCH_TABLE', { maxRows: 10, timeoutMs: 5000 }));
    assert.match(missing.message, /002003 \(42S02\).*NO_SUCH_TABLE/);
    // The connection stays usable.
    assert.equal((await conn.query('SELECT 1 AS ONE', { maxRows: 1, timeoutMs: 5000 })).rows[0][0], 1);
  });

  test('the connector itself refuses what the guard refuses (a write, a SYSTEM$ function), before sending it', async () => {
    const before = standin.queries.length;
    for (const sql of ['DELETE FROM ORDERS', 'SELECT SYSTEM$WAIT(1)', 'USE ROLE ACCOUNTADMIN']) {
      const e = await rejection(conn.query(sql, { maxRows: 1, timeoutMs: 5000 }));
      assert.equal(e.reason, 'refused', sql);
    }
    assert.equal(standin.queries.length, before, 'nothing reached the server');
  });

  test('a query past its timeout is cancelled on the server', async () => {
    const started = Date.now();
    const e = await rejection(conn.query("SELECT STANDIN_SLEEP(5) AS W", { maxRows: 1, timeoutMs: 600 }));
    assert.equal(e.reason, 'timeout');
    assert.match(e.message, /600 ms timeout and was cancelled/);
    assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
    const q = standin.queries.find(x => x.sql.includes('STANDIN_SLEEP(5)'));
    assert.equal(q?.status, 'cancelled');
    assert.equal(q?.parameters.STATEMENT_TIMEOUT_IN_SECONDS, 1);
    assert.ok(standin.requests.some(r => r.path === `/queries/${q?.queryId}/abort-request`));
  });

  test('the session statement timeout set at connect time stops a statement on the server', async () => {
    const short = await openSnowflake(cfg, { password: PASSWORD, accessUrl: standin.url, timeoutMs: 1000 });
    try {
      const e = await rejection(short.query('SELECT STANDIN_SLEEP(4) AS W', { maxRows: 1, timeoutMs: 8000 }));
      assert.equal(e.reason, 'timeout');
      assert.match(e.message, /000630/);
      assert.equal(standin.queries.find(x => x.sql.includes('STANDIN_SLEEP(4)'))?.status, 'timeout');
    } finally {
      await short.close();
    }
  });

  test('an AbortSignal cancels the running statement', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const e = await rejection(conn.query('SELECT STANDIN_SLEEP(3) AS W', { maxRows: 1, timeoutMs: 10_000, signal: ac.signal }));
    assert.match(e.message, /cancelled/);
    await new Promise(r => setTimeout(r, 100));
    assert.equal(standin.queries.find(x => x.sql.includes('STANDIN_SLEEP(3)'))?.status, 'cancelled');
  });
});

describe('Snowflake login failures', () => {
  test('a wrong password says which user and account and what to do, without the password', async () => {
    const e = await rejection(openSnowflake(cfg, { password: 'wrong-Pass-123', accessUrl: standin.url }));
    assert.equal(e.reason, 'auth');
    assert.equal(e.message, 'Snowflake rejected the login for user analyst at account standin_acct (390100): check the password — ' +
      'the "DEA: Set Warehouse Password" command, or the SNOWFLAKE_PASSWORD environment variable.');
    assert.equal(e.message.includes('wrong-Pass-123'), false);
  });

  test('no password at all is reported before contacting Snowflake', async () => {
    const before = standin.requests.length;
    const e = await rejection(openSnowflake(cfg, { accessUrl: standin.url }));
    assert.equal(e.reason, 'auth');
    assert.match(e.message, /^No password for Snowflake user analyst at account standin_acct/);
    assert.equal(standin.requests.length, before);
  });

  test('a role the user was not granted is named', async () => {
    const e = await rejection(openSnowflake({ ...cfg, role: 'sysadmin' }, { password: PASSWORD, accessUrl: standin.url }));
    assert.equal(e.reason, 'auth');
    assert.match(e.message, /refused role sysadmin for user analyst .*\(390189\)/);
  });

  test('an unreachable host is named', async () => {
    const closed = http.createServer();
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(r => closed.close(r));
    const e = await rejection(openSnowflake(cfg, { password: PASSWORD, accessUrl: `http://127.0.0.1:${port}`, loginRetries: 0 }));
    assert.equal(e.reason, 'unreachable');
    assert.match(e.message, new RegExp(`^Cannot reach Snowflake at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED`));
  });
});

describe('Snowflake secrets and logs', () => {
  test('the driver log is captured, never contains the password, and no snowflake.log is written', () => {
    assert.ok(driverLog.length > 20, 'the driver logged through our logger');
    assert.ok(driverLog.some(l => /login-request/.test(l)), 'the log covers the login');
    assert.equal(driverLog.filter(l => l.includes(PASSWORD) || l.includes('wrong-Pass-123')).length, 0);
    assert.deepEqual(fs.readdirSync(cwd), []);
  });
});
