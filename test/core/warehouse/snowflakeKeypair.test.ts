// Key-pair (JWT) login through the real snowflake-sdk: the stand-in verifies the token against the user's public key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WarehouseConnectionError } from '../../../src/core/warehouse/connection';
import type { SnowflakeConnectionConfig } from '../../../src/core/warehouse/profiles';
import { openSnowflake } from '../../../src/core/warehouse/snowflake';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../support/snowflake-standin';

const PASSPHRASE = 'key-Passphrase-91b2';
let tmp: string;
let standin: SnowflakeStandin;
let keyFile: string;
let unencryptedPkcs1: string;
let otherKeyFile: string;

const cfg = (over: Partial<SnowflakeConnectionConfig> = {}): SnowflakeConnectionConfig => ({
  type: 'snowflake', profileName: 'connections.toml', targetName: 'svc', account: 'standin_acct', user: 'svc_loader',
  role: 'loader', warehouse: 'load_wh', database: 'analytics', ...over,
});

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-sf-key-'));
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  keyFile = path.join(tmp, 'rsa_key.p8');
  fs.writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }));
  unencryptedPkcs1 = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  otherKeyFile = path.join(tmp, 'other.p8');
  fs.writeFileSync(otherKeyFile, other.privateKey.export({ format: 'pem', type: 'pkcs8' }));
  standin = await startSnowflakeStandin({
    users: { SVC_LOADER: { publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(), roles: ['LOADER'] } },
  });
});

after(async () => {
  await standin?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<WarehouseConnectionError> {
  try { await p; } catch (e) {
    assert.ok(e instanceof WarehouseConnectionError, String(e));
    return e;
  }
  assert.fail('expected a rejection');
}

describe('Snowflake key-pair authentication', () => {
  test('an encrypted private_key_path with its passphrase logs in with a JWT', async () => {
    const conn = await openSnowflake(cfg({ private_key_path: keyFile, private_key_passphrase: PASSPHRASE }), { accessUrl: standin.url });
    try {
      const login = standin.requests.filter(r => r.path === '/session/v1/login-request').at(-1);
      assert.equal(login?.authenticator, 'SNOWFLAKE_JWT');
      assert.equal(login?.role, 'loader');
      assert.deepEqual(standin.sessions().map(s => [s.user, s.role, s.warehouse]), [['SVC_LOADER', 'LOADER', 'LOAD_WH']]);
      assert.deepEqual((await conn.query('SELECT COUNT(*) AS N FROM MARTS.ORDERS', { maxRows: 1, timeoutMs: 5000 })).rows, [[4]]);
    } finally {
      await conn.close();
    }
    assert.equal(standin.sessions().length, 0, 'close ends the session');
  });

  test('a private key given as text (PKCS#1 PEM) works too', async () => {
    const conn = await openSnowflake(cfg(), { privateKey: unencryptedPkcs1, accessUrl: standin.url });
    await conn.close();
  });

  test('a key that does not match the registered public key is rejected with what to check', async () => {
    const e = await rejection(openSnowflake(cfg({ private_key_path: otherKeyFile }), { accessUrl: standin.url }));
    assert.equal(e.reason, 'auth');
    assert.match(e.message, /^Snowflake rejected the key-pair login for user svc_loader at account standin_acct \(390144: JWT token is invalid/);
    assert.match(e.message, /private_key_path/);
  });

  test('a wrong passphrase is reported before anything is sent, without the passphrase', async () => {
    const before = standin.requests.length;
    const e = await rejection(openSnowflake(cfg({ private_key_path: keyFile }), { passphrase: 'not-the-passphrase', accessUrl: standin.url }));
    assert.equal(e.reason, 'auth');
    assert.match(e.message, /^Cannot decrypt the private key file .*rsa_key\.p8 .*passphrase is wrong/);
    assert.equal(e.message.includes('not-the-passphrase'), false);
    const missing = await rejection(openSnowflake(cfg({ private_key_path: keyFile }), { accessUrl: standin.url }));
    assert.match(missing.message, /is encrypted: set private_key_passphrase/);
    assert.equal(standin.requests.length, before);
  });

  test('a missing key file names the path', async () => {
    const e = await rejection(openSnowflake(cfg({ private_key_path: path.join(tmp, 'nope.p8') }), { accessUrl: standin.url }));
    assert.equal(e.reason, 'missing');
    assert.match(e.message, /nope\.p8 .*ENOENT.*private_key_path/);
  });
});
