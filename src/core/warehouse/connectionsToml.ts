// Reads Snowflake's own connection file, `connections.toml` in SNOWFLAKE_HOME (default ~/.snowflake), the way the
// Snowflake CLI and connectors do: named connections, a default one, secrets kept apart from the displayable config,
// and the environment overriding SNOWFLAKE_PASSWORD / SNOWFLAKE_PRIVATE_KEY_PATH / SNOWFLAKE_PRIVATE_KEY_PASSPHRASE.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { Problem } from '../types';
import type { SnowflakeConnectionConfig } from './profiles';
import type { SnowflakeSecrets } from './snowflakeAuth';

type Env = Record<string, string | undefined>;

export interface TomlConnection {
  name: string;
  /** Secret-free: password, private key text and passphrase are in `secrets`. */
  config: SnowflakeConnectionConfig;
  secrets: SnowflakeSecrets;
  /** From `host` / `port` / `protocol` when set. */
  accessUrl?: string;
}

export interface ConnectionsTomlResult {
  /** The connections.toml looked at. */
  path: string;
  exists: boolean;
  /** Connection names in the file, in order. */
  names: string[];
  /** The connection used when none is named: SNOWFLAKE_DEFAULT_CONNECTION_NAME, default_connection_name, else 'default'. */
  defaultName: string;
  /** The requested (or default) connection, when found and complete. */
  connection?: TomlConnection;
  problems: Problem[];
}

export interface ConnectionsTomlOptions {
  /** Connection name; default: the default connection. */
  name?: string;
  env?: Env;
  homeDir?: string;
}

/** SNOWFLAKE_HOME, else ~/.snowflake, else the platform's config folder when only that one exists. */
export function snowflakeHome(env: Env = process.env, homeDir = os.homedir()): string {
  if (env.SNOWFLAKE_HOME) return expandHome(env.SNOWFLAKE_HOME, homeDir);
  const dotDir = path.join(homeDir, '.snowflake');
  const platformDir = process.platform === 'darwin' ? path.join(homeDir, 'Library', 'Application Support', 'snowflake')
    : process.platform === 'win32' ? path.join(env.LOCALAPPDATA ?? path.join(homeDir, 'AppData', 'Local'), 'snowflake')
      : path.join(env.XDG_CONFIG_HOME ?? path.join(homeDir, '.config'), 'snowflake');
  return !fs.existsSync(dotDir) && fs.existsSync(platformDir) ? platformDir : dotDir;
}

export function readConnectionsToml(opts: ConnectionsTomlOptions = {}): ConnectionsTomlResult {
  const env = opts.env ?? process.env;
  const homeDir = opts.homeDir ?? os.homedir();
  const home = snowflakeHome(env, homeDir);
  const file = path.join(home, 'connections.toml');
  const problems: Problem[] = [];
  const text = readText(file);
  const doc = text === undefined ? {} : parseToml(text, file, problems);
  const names = Object.keys(doc).filter(k => isTable(doc[k]));
  const defaultName = env.SNOWFLAKE_DEFAULT_CONNECTION_NAME || str(doc.default_connection_name) || configTomlDefault(home) || 'default';
  const result: ConnectionsTomlResult = { path: file, exists: text !== undefined, names, defaultName, problems };
  if (text === undefined && opts.name) {
    problems.push({ path: file, severity: 'error', message: `No ${file} for the Snowflake connection '${opts.name}': create it, or set SNOWFLAKE_HOME to the folder holding it.` });
  }
  if (text === undefined || problems.length) return result;

  const name = opts.name ?? defaultName;
  const table = doc[name];
  if (!isTable(table)) {
    if (opts.name || names.length) {
      problems.push({ path: file, severity: 'error', message: `${file} has no connection '${name}' (it has: ${names.join(', ') || 'none'}): add [${name}] or pick one of them.` });
    }
    return result;
  }
  result.connection = toConnection(name, table, env, homeDir, { file, line: headerLine(text, name), problems });
  return result;
}

function readText(file: string): string | undefined {
  try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; }
}

function parseToml(text: string, file: string, problems: Problem[]): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (e) {
    const line = e instanceof TomlError ? e.line : undefined;
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    problems.push({ path: file, line, severity: 'error', message: `${path.basename(file)} is not valid TOML: ${message}` });
    return {};
  }
}

/** config.toml next to it may name the default connection too (the Snowflake CLI's place for it). */
function configTomlDefault(home: string): string | undefined {
  const text = readText(path.join(home, 'config.toml'));
  if (text === undefined) return undefined;
  try { return str((parse(text) as Record<string, unknown>).default_connection_name); } catch { return undefined; }
}

function isTable(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null || v === '' || typeof v === 'object' ? undefined : String(v);
}

function expandHome(p: string, homeDir: string): string {
  return /^~([/\\]|$)/.test(p) ? path.join(homeDir, p.slice(1)) : p;
}

function headerLine(text: string, name: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex(l => new RegExp(`^\\s*\\[\\s*"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*\\]`).test(l));
  return i >= 0 ? i + 1 : undefined;
}

function toConnection(name: string, t: Record<string, unknown>, env: Env, homeDir: string, w: { file: string; line?: number; problems: Problem[] }): TomlConnection | undefined {
  const host = str(t.host);
  const account = str(t.account) ?? host?.split('.')[0];
  const user = str(t.user) ?? str(t.username);
  if (!account || !user) {
    w.problems.push({ path: w.file, line: w.line, severity: 'error', message: `Snowflake connection '${name}' needs \`account\` and \`user\`: add them to ${path.basename(w.file)}.` });
    return undefined;
  }
  const keyPath = env.SNOWFLAKE_PRIVATE_KEY_PATH || str(t.private_key_file) || str(t.private_key_path);
  const config: SnowflakeConnectionConfig = {
    type: 'snowflake', profileName: 'connections.toml', targetName: name, account, user,
    role: str(t.role), warehouse: str(t.warehouse), database: str(t.database), schema: str(t.schema),
    authenticator: str(t.authenticator), private_key_path: keyPath ? expandHome(keyPath, homeDir) : undefined, query_tag: str(t.query_tag),
  };
  for (const k of Object.keys(config) as (keyof SnowflakeConnectionConfig)[]) if (config[k] === undefined) delete config[k];
  const secrets: SnowflakeSecrets = {
    password: env.SNOWFLAKE_PASSWORD || str(t.password),
    privateKey: str(t.private_key_raw) ?? str(t.private_key),
    passphrase: env.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE || str(t.private_key_file_pwd) || str(t.private_key_passphrase),
  };
  const port = str(t.port);
  const accessUrl = host ? `${str(t.protocol) ?? 'https'}://${host}${port ? `:${port}` : ''}` : undefined;
  return { name, config, secrets, accessUrl };
}
