// Where the warehouse settings come from: Snowflake's connections.toml (temp homes), dbt profiles.yml targets and
// explicit settings; and "Test connection" end to end against the stand-in and a real DuckDB file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DbtProjectInfo } from '../../../src/core/types';
import { readConnectionsToml, snowflakeHome } from '../../../src/core/warehouse/connectionsToml';
import { resolveWarehouse, testConnection, type WarehouseSource } from '../../../src/core/warehouse/open';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../support/snowflake-standin';

let tmp: string;
let standin: SnowflakeStandin;
let n = 0;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-sf-config-'));
  standin = await startSnowflakeStandin({ users: { ANALYST: { password: 'toml-Secret-55', roles: ['REPORTER'] } } });
});

after(async () => {
  await standin?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A fresh home folder with the given files (paths relative to it). */
function home(files: Record<string, string>): string {
  const dir = path.join(tmp, `home${n++}`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function project(root: string, profile: string): DbtProjectInfo {
  return {
    name: 'shop', root, configPath: path.posix.join(root, 'dbt_project.yml'), profile, modelPaths: ['models'], seedPaths: ['seeds'],
    macroPaths: ['macros'], snapshotPaths: [], testPaths: [], analysisPaths: [], docsPaths: [], targetPath: 'target', resourceConfigs: {}, vars: {},
  };
}

const TOML = `
default_connection_name = "prod"

[dev]
account = "dev_acct"
user = "dev_user"
password = "dev-Secret-1"
warehouse = "dev_wh"

[prod]
account = "standin_acct"
user = "analyst"
password = "toml-Secret-55"
role = "reporter"
warehouse = "reporting_wh"
database = "analytics"
schema = "marts"
host = "127.0.0.1"
protocol = "http"
`;

describe('connections.toml', () => {
  test('reads the default connection, keeping secrets apart from the config', () => {
    const h = home({ '.snowflake/connections.toml': TOML.replace('protocol = "http"', `protocol = "http"\nport = ${standin.port}`) });
    const r = readConnectionsToml({ homeDir: h, env: {} });
    assert.deepEqual(r.problems, []);
    assert.equal(r.path, path.join(h, '.snowflake', 'connections.toml'));
    assert.deepEqual(r.names, ['dev', 'prod']);
    assert.equal(r.defaultName, 'prod');
    assert.deepEqual(r.connection?.config, {
      type: 'snowflake', profileName: 'connections.toml', targetName: 'prod', account: 'standin_acct', user: 'analyst',
      role: 'reporter', warehouse: 'reporting_wh', database: 'analytics', schema: 'marts',
    });
    assert.deepEqual(r.connection?.secrets, { password: 'toml-Secret-55', privateKey: undefined, passphrase: undefined });
    assert.equal(r.connection?.accessUrl, `http://127.0.0.1:${standin.port}`);
    assert.equal(JSON.stringify(r.connection?.config).includes('toml-Secret-55'), false);
  });

  test('a named connection, SNOWFLAKE_HOME, and environment overrides', () => {
    const h = home({ 'elsewhere/connections.toml': TOML });
    const env = { SNOWFLAKE_HOME: path.join(h, 'elsewhere'), SNOWFLAKE_PASSWORD: 'env-Secret-2', SNOWFLAKE_PRIVATE_KEY_PATH: '~/keys/rsa.p8' };
    assert.equal(snowflakeHome(env, h), path.join(h, 'elsewhere'));
    const r = readConnectionsToml({ name: 'dev', homeDir: h, env });
    assert.equal(r.connection?.config.account, 'dev_acct');
    assert.equal(r.connection?.secrets.password, 'env-Secret-2');
    assert.equal(r.connection?.config.private_key_path, path.join(h, 'keys', 'rsa.p8'));
    assert.equal(r.connection?.accessUrl, undefined);
    assert.equal(readConnectionsToml({ homeDir: h, env: { ...env, SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'dev' } }).connection?.name, 'dev');
  });

  test('problems say what is wrong: bad TOML (with line), unknown name, missing account', () => {
    const bad = home({ '.snowflake/connections.toml': '[dev]\naccount = "a"\nuser = \n' });
    const r1 = readConnectionsToml({ homeDir: bad, env: {} });
    assert.equal(r1.connection, undefined);
    assert.equal(r1.problems[0].line, 3);
    assert.match(r1.problems[0].message, /^connections\.toml is not valid TOML/);

    const h = home({ '.snowflake/connections.toml': TOML });
    const r2 = readConnectionsToml({ name: 'staging', homeDir: h, env: {} });
    assert.match(r2.problems[0].message, /has no connection 'staging' \(it has: dev, prod\)/);

    const incomplete = home({ '.snowflake/connections.toml': 'default_connection_name = "x"\n\n[x]\nuser = "u"\n' });
    const r3 = readConnectionsToml({ homeDir: incomplete, env: {} });
    assert.equal(r3.problems[0].line, 3);
    assert.match(r3.problems[0].message, /'x' needs `account` and `user`/);

    const none = readConnectionsToml({ homeDir: home({}), env: {} });
    assert.deepEqual([none.exists, none.connection, none.problems.length], [false, undefined, 0]);
  });
});

describe('resolveWarehouse', () => {
  const PROFILES = `
shop:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: target/shop.duckdb
      schema: main
    prod:
      type: snowflake
      account: acme
      user: "{{ env_var('SF_USER') }}"
      password: "{{ env_var('SF_PASSWORD') }}"
      role: analyst
      warehouse: wh
      database: analytics
      schema: marts
    pg:
      type: postgres
      host: localhost
`;

  test('explicit settings first, then the profiles.yml target, then the connections.toml default', () => {
    const ws = path.join(tmp, 'ws');
    fs.mkdirSync(path.join(ws, 'shop'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'shop', 'dbt_project.yml'), 'name: shop\nprofile: shop\n');
    fs.writeFileSync(path.join(ws, 'shop', 'profiles.yml'), PROFILES);
    const h = home({ '.snowflake/connections.toml': TOML });
    const info = project('shop', 'shop');
    const env = { SF_USER: 'dbt_user', SF_PASSWORD: 'profile-Secret-3' };

    const byPath = resolveWarehouse(ws, info, { duckdbPath: 'data/wh.duckdb' }, env, h);
    assert.deepEqual(byPath.source, { kind: 'duckdb', path: path.join(ws, 'data', 'wh.duckdb') });

    const byName = resolveWarehouse(ws, info, { snowflakeConnection: 'dev' }, env, h);
    assert.equal(byName.origin, 'connections.toml [dev]');
    assert.equal(byName.source?.kind === 'snowflake' && byName.source.config.account, 'dev_acct');
    const wrongName = resolveWarehouse(ws, info, { snowflakeConnection: 'nope' }, env, h);
    assert.equal(wrongName.source, undefined);
    assert.match(wrongName.reason ?? '', /no connection 'nope'/);

    const dev = resolveWarehouse(ws, info, {}, env, h);
    assert.deepEqual([dev.source, dev.origin, dev.schema], [{ kind: 'duckdb', path: path.join(ws, 'shop', 'target', 'shop.duckdb') }, 'profiles.yml shop.dev', 'main']);

    const prod = resolveWarehouse(ws, info, { target: 'prod' }, env, h);
    const sf = prod.source as Extract<WarehouseSource, { kind: 'snowflake' }>;
    assert.equal(sf.kind, 'snowflake');
    assert.deepEqual([sf.config.account, sf.config.user, sf.config.role, sf.config.password], ['acme', 'dbt_user', 'analyst', undefined]);
    assert.equal(sf.secrets.password, 'profile-Secret-3');

    const pg = resolveWarehouse(ws, info, { target: 'pg' }, env, h);
    assert.equal(pg.origin, 'connections.toml [prod]', 'an unsupported adapter falls through to the connections.toml default');

    const nothing = resolveWarehouse(ws, info, { target: 'pg' }, env, home({}));
    assert.equal(nothing.source, undefined);
    assert.match(nothing.reason ?? '', /^No warehouse is configured \(profiles\.yml shop\.pg uses the postgres adapter/);
  });
});

describe('testConnection', () => {
  test('Snowflake from connections.toml: who, role, warehouse and schemas', async () => {
    const h = home({ '.snowflake/connections.toml': TOML.replace('protocol = "http"', `protocol = "http"\nport = ${standin.port}`) });
    const r = resolveWarehouse(tmp, undefined, {}, {}, h);
    assert.ok(r.source);
    const ok = await testConnection(r.source, { connectTimeoutMs: 5000 });
    assert.deepEqual(ok, { ok: true, message: 'Connected to Snowflake account standin_acct as ANALYST (role REPORTER, warehouse REPORTING_WH): 2 schemas in ANALYTICS.' });
    assert.equal(standin.sessions().length, 0, 'the test session is closed');

    const wrong = await testConnection({ ...r.source, secrets: { password: 'nope-Nope-1' } } as WarehouseSource, { connectTimeoutMs: 5000 });
    assert.equal(wrong.ok, false);
    assert.match(wrong.message, /^Snowflake rejected the login for user analyst at account standin_acct \(390100\)/);
  });

  test('DuckDB: a real file, and a missing one', async () => {
    const file = path.join(tmp, 'wh.duckdb');
    const db = await DuckDBInstance.create(file);
    const c = await db.connect();
    await c.run('CREATE SCHEMA sales; CREATE TABLE sales.orders (id INTEGER); CREATE TABLE sales.customers (id INTEGER)');
    c.closeSync();
    db.closeSync();
    const ok = await testConnection({ kind: 'duckdb', path: file });
    assert.equal(ok.ok, true, ok.message);
    assert.match(ok.message, /^Opened DuckDB .*wh\.duckdb: \d+ schemas?, 2 tables\.$/);
    const missing = await testConnection({ kind: 'duckdb', path: path.join(tmp, 'missing.duckdb') });
    assert.equal(missing.ok, false);
    assert.match(missing.message, /missing\.duckdb/);
  });
});
