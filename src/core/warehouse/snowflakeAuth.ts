// Which credentials a Snowflake login uses: a password, or a key pair whose private key we read and decrypt here
// with Node's crypto (so a wrong passphrase or a bad file is reported clearly before anything is sent).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WarehouseConnectionError } from './connection';
import type { SnowflakeConnectionConfig } from './profiles';

/** Secrets for a Snowflake login, kept apart from the (displayable) config. */
export interface SnowflakeSecrets {
  password?: string;
  /** PEM text (or base64 DER) of the private key; wins over the config's private_key / private_key_path. */
  privateKey?: string;
  passphrase?: string;
}

export type SnowflakeAuth =
  | { kind: 'password'; password: string }
  /** An unencrypted PKCS#8 PEM, decrypted here; `source` names where it came from, for messages. */
  | { kind: 'keypair'; privateKeyPem: string; source: string };

const PASSWORD_HINT = 'the "DEA: Set Warehouse Password" command, or the SNOWFLAKE_PASSWORD environment variable';

export function who(cfg: SnowflakeConnectionConfig): string {
  return `user ${cfg.user} at account ${cfg.account}`;
}

/** Picks and prepares the credentials; throws a WarehouseConnectionError saying what is missing or wrong. */
export function resolveSnowflakeAuth(cfg: SnowflakeConnectionConfig, secrets: SnowflakeSecrets): SnowflakeAuth {
  const authenticator = (cfg.authenticator ?? '').toLowerCase();
  if (authenticator && authenticator !== 'snowflake' && authenticator !== 'snowflake_jwt') {
    throw new WarehouseConnectionError(
      `Snowflake authenticator '${cfg.authenticator}' (${who(cfg)}) is not supported here: use password or key-pair authentication ` +
      '(private_key_path) in profiles.yml or connections.toml.', 'auth');
  }
  const keyText = secrets.privateKey ?? cfg.private_key;
  if (keyText || cfg.private_key_path) {
    const source = keyText ? 'the configured private_key' : `the private key file ${cfg.private_key_path}`;
    const raw = keyText ?? readKeyFile(cfg.private_key_path!, cfg);
    return { kind: 'keypair', privateKeyPem: decryptKey(raw, secrets.passphrase ?? cfg.private_key_passphrase, source, cfg), source };
  }
  if (authenticator === 'snowflake_jwt') {
    throw new WarehouseConnectionError(`Snowflake key-pair login for ${who(cfg)} needs a private key: set private_key_path in profiles.yml or connections.toml, or SNOWFLAKE_PRIVATE_KEY_PATH.`, 'auth');
  }
  const password = secrets.password ?? cfg.password;
  if (!password) {
    throw new WarehouseConnectionError(`No password for Snowflake ${who(cfg)}: set it with ${PASSWORD_HINT}, or configure key-pair authentication (private_key_path).`, 'auth');
  }
  return { kind: 'password', password };
}

export function passwordHint(): string {
  return PASSWORD_HINT;
}

function readKeyFile(file: string, cfg: SnowflakeConnectionConfig): string {
  const p = /^~[/\\]/.test(file) ? path.join(os.homedir(), file.slice(2)) : file;
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WarehouseConnectionError(
      `Cannot read the private key file ${p} for Snowflake ${who(cfg)} (${code ?? 'error'}): fix private_key_path or SNOWFLAKE_PRIVATE_KEY_PATH.`,
      code === 'ENOENT' ? 'missing' : 'auth');
  }
}

/** PEM (PKCS#8 or PKCS#1, encrypted or not) or base64 DER PKCS#8 → unencrypted PKCS#8 PEM of an RSA key. */
function decryptKey(raw: string, passphrase: string | undefined, source: string, cfg: SnowflakeConnectionConfig): string {
  let key: crypto.KeyObject;
  try {
    key = raw.includes('-----BEGIN')
      ? crypto.createPrivateKey({ key: raw, format: 'pem', passphrase })
      : crypto.createPrivateKey({ key: Buffer.from(raw.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs8', passphrase });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const msg = err.message ?? String(e);
    const encrypted = err.code === 'ERR_MISSING_PASSPHRASE' || /passphrase required/i.test(msg) || /ENCRYPTED/.test(raw);
    if (passphrase === undefined && encrypted) {
      throw new WarehouseConnectionError(`${capital(source)} for Snowflake ${who(cfg)} is encrypted: set private_key_passphrase, or SNOWFLAKE_PRIVATE_KEY_PASSPHRASE.`, 'auth');
    }
    if (/bad decrypt|wrong passphrase|decrypt/i.test(msg)) {
      throw new WarehouseConnectionError(`Cannot decrypt ${source} for Snowflake ${who(cfg)}: the passphrase is wrong — fix private_key_passphrase or SNOWFLAKE_PRIVATE_KEY_PASSPHRASE.`, 'auth');
    }
    throw new WarehouseConnectionError(`${capital(source)} for Snowflake ${who(cfg)} is not a readable private key (${err.code ?? 'invalid'}): it must be a PEM or base64 PKCS#8 RSA key.`, 'auth');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new WarehouseConnectionError(`${capital(source)} for Snowflake ${who(cfg)} is a ${key.asymmetricKeyType} key: Snowflake key-pair authentication needs an RSA key.`, 'auth');
  }
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
