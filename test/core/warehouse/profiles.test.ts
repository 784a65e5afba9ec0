import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { findProfilesFile, loadConnection, redactConnection, type ProfileOptions } from '../../../src/core/warehouse/profiles';

const FIXTURE = path.resolve(__dirname, '../../fixtures/warehouse/profiles/profiles.yml');
const fixtureText = fs.readFileSync(FIXTURE, 'utf8');
const lineOf = (needle: string) => fixtureText.split('\n').findIndex(l => l.includes(needle)) + 1;

let tmp: string;
let project: string;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-profiles-'));
  project = path.join(tmp, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'dbt_project.yml'), 'name: shop\nprofile: shop\n');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Options reading the fixture with a controlled environment and home folder. */
const opts = (extra: Partial<ProfileOptions> = {}): ProfileOptions => ({
  projectDir: project, profilesPath: FIXTURE, env: {}, homeDir: path.join(tmp, 'home'), ...extra,
});

describe('findProfilesFile', () => {
  test('follows dbt order: explicit path, project folder, DBT_PROFILES_DIR, ~/.dbt', () => {
    const home = path.join(tmp, 'order-home');
    const envDir = path.join(tmp, 'order-env');
    const proj = path.join(tmp, 'order-project');
    const explicit = path.join(tmp, 'order-explicit');
    const files = [path.join(explicit, 'profiles.yml'), path.join(proj, 'profiles.yml'), path.join(envDir, 'profiles.yml'), path.join(home, '.dbt', 'profiles.yml')];
    for (const f of files) { fs.mkdirSync(path.dirname(f), { recursive: true }); fs.writeFileSync(f, 'x: 1\n'); }
    const o: ProfileOptions = { projectDir: proj, env: { DBT_PROFILES_DIR: envDir }, homeDir: home };
    assert.equal(findProfilesFile({ ...o, profilesPath: explicit }).path, files[0]);
    assert.equal(findProfilesFile({ ...o, profilesPath: files[0] }).path, files[0]);
    assert.equal(findProfilesFile(o).path, files[1]);
    fs.rmSync(files[1]);
    assert.equal(findProfilesFile(o).path, files[2]);
    fs.rmSync(files[2]);
    const last = findProfilesFile(o);
    assert.equal(last.path, files[3]);
    assert.deepEqual(last.searched, [files[1], files[2], files[3]]);
    fs.rmSync(files[3]);
    assert.equal(findProfilesFile(o).path, undefined);
  });

  test('an explicit path that does not exist is reported, not bypassed', () => {
    const r = loadConnection(opts({ profilesPath: path.join(tmp, 'nowhere') }));
    assert.equal(r.config, undefined);
    assert.equal(r.problems[0].severity, 'error');
    assert.match(r.problems[0].message, /profiles\.yml not found at .*nowhere/);
  });

  test('no profiles.yml anywhere gives a warning naming the places searched', () => {
    const r = loadConnection(opts({ profilesPath: undefined }));
    assert.equal(r.config, undefined);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].severity, 'warning');
    assert.ok(r.problems[0].message.includes(path.join(tmp, 'home', '.dbt', 'profiles.yml')));
  });
});

describe('loadConnection', () => {
  test('picks the project profile and its templated target; resolves a duckdb path against the project folder', () => {
    const r = loadConnection(opts());
    assert.deepEqual(r.problems, []);
    assert.equal(r.profileName, 'shop');
    assert.equal(r.targetName, 'dev');
    assert.equal(r.profilesPath, FIXTURE);
    const c = r.config;
    assert.ok(c && c.type === 'duckdb');
    assert.equal(c.path, path.join(project, 'data', 'shop.duckdb'));
    assert.equal(c.database, 'shop');
    assert.equal(c.schema, 'analytics');
    assert.equal(c.threads, 4);
    assert.deepEqual(c.extensions, ['httpfs', 'parquet']);
  });

  test('env vars override defaults; :memory: and ~ paths', () => {
    const r = loadConnection(opts({ env: { SHOP_DB: '/abs/prod.duckdb', SHOP_THREADS: '8' } }));
    assert.ok(r.config?.type === 'duckdb');
    assert.equal(r.config.path, '/abs/prod.duckdb');
    assert.equal(r.config.threads, 8);
    const mem = loadConnection(opts({ env: { SHOP_TARGET: 'mem' } }));
    assert.equal(mem.targetName, 'mem');
    assert.ok(mem.config?.type === 'duckdb');
    assert.equal(mem.config.path, ':memory:');
    const home = loadConnection(opts({ target: 'home' }));
    assert.ok(home.config?.type === 'duckdb');
    assert.equal(home.config.path, path.join(tmp, 'home', 'warehouses', 'home.duckdb'));
  });

  test('a snowflake target keeps its secrets usable but out of every log form', () => {
    const r = loadConnection(opts({ target: 'snow', env: { SF_ACCOUNT: 'acme-eu', SF_PASSWORD: 's3cr3t-pw' } }));
    assert.deepEqual(r.problems, []);
    const c = r.config;
    assert.ok(c && c.type === 'snowflake');
    assert.equal(c.account, 'acme-eu');
    assert.equal(c.password, 's3cr3t-pw');
    assert.equal(c.private_key_passphrase, 'default-passphrase');
    assert.equal(c.private_key_path, 'keys/rsa_key.p8');
    assert.equal(c.role, 'transformer');
    for (const shown of [JSON.stringify(c), String(c), `${c}`, inspect(c), JSON.stringify(redactConnection(c))]) {
      assert.ok(!shown.includes('s3cr3t-pw'), shown);
      assert.ok(!shown.includes('default-passphrase'), shown);
    }
    const red = redactConnection(c);
    assert.equal(red.password, '***');
    assert.equal(red.private_key_passphrase, '***');
    assert.equal(red.account, 'acme-eu');
    assert.equal(red.private_key_path, 'keys/rsa_key.p8');
  });

  test('nested duckdb settings secrets are redacted too', () => {
    const r = loadConnection(opts());
    assert.ok(r.config);
    const shown = JSON.stringify(r.config);
    assert.ok(!shown.includes('default-s3-secret'), shown);
    assert.ok(shown.includes('eu-west-1'));
  });

  test('a missing env var without default is a Problem on its line, not a crash', () => {
    const r = loadConnection(opts({ target: 'snow', env: { SF_ACCOUNT: 'acme' } }));
    assert.equal(r.problems.length, 1);
    const p = r.problems[0];
    assert.equal(p.severity, 'error');
    assert.equal(p.line, lineOf("env_var('SF_PASSWORD')"));
    assert.match(p.message, /SF_PASSWORD is not set and has no default/);
    assert.ok(r.config?.type === 'snowflake');
    assert.equal(r.config.password, undefined);
  });

  test('other adapters are typed as other, without their secrets', () => {
    const r = loadConnection(opts({ target: 'pg' }));
    assert.deepEqual(r.config && redactConnection(r.config), { profileName: 'shop', targetName: 'pg', type: 'other', adapter: 'postgres', database: 'warehouse', schema: 'public' });
    assert.ok(!JSON.stringify(r.config).includes('hunter2'));
  });

  test('unknown profile or target lists what exists', () => {
    const noTarget = loadConnection(opts({ target: 'nope' }));
    assert.equal(noTarget.config, undefined);
    assert.match(noTarget.problems[0].message, /no output 'nope' \(outputs: dev, mem, home, snow, pg\)/);
    const noProfile = loadConnection(opts({ profileName: 'missing' }));
    assert.match(noProfile.problems[0].message, /no profile 'missing' \(it has: shop, other_profile\)/);
  });

  test('uses the profile name given instead of dbt_project.yml, and renders only the chosen target', () => {
    const r = loadConnection(opts({ profileName: 'other_profile' }));
    assert.equal(r.config, undefined);
    assert.match(r.problems[0].message, /NEVER_SET_ANYWHERE/);
    assert.equal(r.problems[0].line, lineOf('NEVER_SET_ANYWHERE'));
  });
});
