// Snowflake metadata reaches the index through the real snowflake-sdk (against the local stand-in), linked to the
// dbt models that build each relation, and is read once until asked again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../support/snowflake-standin';

let standin: SnowflakeStandin;
let tmp: string;

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  fs.writeFileSync(path.join(tmp, rel), text);
}

before(async () => {
  standin = await startSnowflakeStandin();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-sf-'));
  write('ws/dbt_project.yml', 'name: shop\nprofile: shop\nmodels:\n  shop:\n    marts:\n      +schema: marts\n');
  write('ws/models/marts/customers.sql', 'select 1 as customer_id\n');
  write('ws/models/marts/orders.sql', "select * from {{ ref('customers') }}\n");
  write('home/.snowflake/connections.toml', [
    'default_connection_name = "prod"', '[prod]', 'account = "standin_acct"', 'user = "analyst"', 'role = "reporter"',
    'database = "analytics"', 'schema = "marts"', 'host = "127.0.0.1"', 'protocol = "http"', `port = ${standin.port}`, '',
  ].join('\n'));
});
after(async () => {
  await standin.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('Snowflake tables are indexed, linked to models, and re-read only on request', async () => {
  const env = { SNOWFLAKE_PASSWORD: 'secret' };
  const engine = await Engine.open({
    workspace: path.join(tmp, 'ws'), indexDir: path.join(tmp, 'index'), embedding: { kind: 'hashed' }, noHistory: true,
    warehouse: { env, homeDir: path.join(tmp, 'home') },
  });
  try {
    await engine.refresh();
    const wh = engine.status().warehouse;
    assert.equal(wh?.kind, 'snowflake');
    assert.equal(wh?.error, undefined);
    assert.ok(wh!.tables >= 2);
    const snap = await engine.snapshot();
    const customers = snap.catalog!.tables.find(t => t.name.toLowerCase() === 'customers');
    assert.equal(customers?.nodeId, 'model.shop.customers', 'relation linked to the model that builds it');
    const hits = await engine.search('Sum of completed order amounts', 5);
    assert.ok(hits.some(h => h.doc.kind === 'warehouse_table' && /customers/i.test(h.doc.title)), 'column comments are searchable');
    const logins = () => standin.requests.filter(r => r.path === '/session/v1/login-request').length;
    const before = logins();
    await engine.refresh();
    assert.equal(logins(), before, 'a plain refresh does not query Snowflake again');
    await engine.refreshWarehouse();
    assert.equal(logins(), before + 1, 'refreshWarehouse reads the metadata again');
    assert.ok(!JSON.stringify(engine.status()).includes('secret'), 'no secret in the status');
  } finally {
    await engine.close();
  }
});
