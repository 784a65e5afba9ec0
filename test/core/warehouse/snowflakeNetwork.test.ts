// Dropped connections through the real snowflake-sdk: the stand-in destroys sockets mid-request.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WarehouseConnectionError } from '../../../src/core/warehouse/connection';
import type { SnowflakeConnectionConfig } from '../../../src/core/warehouse/profiles';
import { openSnowflake, type SnowflakeWarehouse } from '../../../src/core/warehouse/snowflake';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../support/snowflake-standin';

const cfg: SnowflakeConnectionConfig = {
  type: 'snowflake', profileName: 'shop', targetName: 'dev', account: 'standin_acct', user: 'analyst', database: 'analytics', schema: 'marts',
};
let standin: SnowflakeStandin;
let conn: SnowflakeWarehouse;

before(async () => {
  standin = await startSnowflakeStandin();
  conn = await openSnowflake(cfg, { password: 'secret', accessUrl: standin.url });
});

/** The driver retries a dropped request in the background (sleeping 1-9 s between tries); stay up until it lands. */
async function retriesLanded(marker: string, limitMs = 9000): Promise<void> {
  const landed = () => standin.requests.some(r => !r.dropped && r.sql?.includes(marker))
    && standin.requests.some(r => !r.dropped && r.path.endsWith('/abort-request'));
  for (const end = Date.now() + limitMs; !landed() && Date.now() < end;) await new Promise(r => setTimeout(r, 100));
}

after(async () => {
  await retriesLanded('LOSE_NETWORK');
  await conn?.close();
  await standin?.close();
});

describe('Snowflake dropped connections', () => {
  // Runs first: the driver keeps retrying in the background after we give up, and the next test overlaps that wait.
  test('a connection that drops mid-query and stays down is reported as dropped, naming the host', async () => {
    standin.dropNext(r => {
      if (!r.sql?.includes('LOSE_NETWORK')) return false;
      standin.goDown();
      return true;
    });
    const started = Date.now();
    let error: unknown;
    try {
      await conn.query("SELECT 'LOSE_NETWORK' AS MARKER", { maxRows: 10, timeoutMs: 1200 });
    } catch (e) {
      error = e;
    } finally {
      standin.restore();
    }
    assert.ok(error instanceof WarehouseConnectionError, String(error));
    assert.equal(error.reason, 'unreachable');
    assert.match(error.message, new RegExp(`^The connection to Snowflake at 127\\.0\\.0\\.1:${standin.port} dropped while the query was running`));
    assert.ok(Date.now() - started < 5000);
    assert.ok(standin.requests.some(r => r.path === '/session/heartbeat' && r.dropped), 'liveness was checked and failed');
  });

  test('a socket dropped once is retried by the driver with the same request id, and the query succeeds', async () => {
    standin.dropNext(r => r.sql?.includes('DROP_ONCE') ?? false, 1);
    const r = await conn.query("SELECT 'DROP_ONCE' AS MARKER, COUNT(*) AS N FROM CUSTOMERS", { maxRows: 10, timeoutMs: 8000 });
    assert.deepEqual(r.rows, [['DROP_ONCE', 3]]);
    const attempts = standin.requests.filter(x => x.sql?.includes('DROP_ONCE'));
    assert.equal(attempts.length, 2);
    assert.equal(attempts[0].dropped, true);
    assert.equal(attempts[1].requestId, attempts[0].requestId);
    assert.equal(attempts[1].retryCount, '1');
  });
});
