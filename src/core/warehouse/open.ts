// Which warehouse a workspace uses (explicit settings, then the dbt profiles.yml target, then Snowflake's
// connections.toml default), opening it, and the "Test connection" check with a one-line result.
import * as os from 'node:os';
import * as path from 'node:path';
import type { DbtProjectInfo, Problem } from '../types';
import type { WarehouseConnection } from './connection';
import { readConnectionsToml } from './connectionsToml';
import { openDuckDbConnection } from './duckdbConnection';
import { describeConnection, loadConnection, type SnowflakeConnectionConfig } from './profiles';
import { openSnowflake, SnowflakeWarehouse, type SnowflakeOpenOptions } from './snowflake';
import type { SnowflakeSecrets } from './snowflakeAuth';

type Env = Record<string, string | undefined>;

export type WarehouseSource =
  | { kind: 'duckdb'; path: string }
  | { kind: 'snowflake'; config: SnowflakeConnectionConfig; secrets: SnowflakeSecrets; accessUrl?: string };

export interface WarehouseSettings {
  /** A DuckDB file (absolute, workspace-relative or ~/...); wins over everything. */
  duckdbPath?: string;
  /** A connection name in Snowflake's connections.toml. */
  snowflakeConnection?: string;
  /** profiles.yml target instead of the profile's default. */
  target?: string;
  /** Explicit profiles.yml (or its folder). */
  profilesPath?: string;
}

export interface ResolvedWarehouse {
  source?: WarehouseSource;
  /** Where the choice came from, for messages: `setting duckdbPath`, `profiles.yml jaffle.dev`, `connections.toml [prod]`. */
  origin?: string;
  /** The dbt target schema, when the choice came from profiles.yml (to link relations to models). */
  schema?: string;
  /** Why no warehouse was chosen, and what to do. */
  reason?: string;
  problems: Problem[];
}

export type OpenOptions = Pick<SnowflakeOpenOptions, 'timeoutMs' | 'connectTimeoutMs' | 'loginRetries'>;

export function openWarehouse(source: WarehouseSource, opts: OpenOptions = {}): Promise<WarehouseConnection> {
  if (source.kind === 'duckdb') return openDuckDbConnection(source.path);
  return openSnowflake(source.config, { ...source.secrets, accessUrl: source.accessUrl, ...opts });
}

/** For messages and logs: never a secret. */
export function describeSource(source: WarehouseSource): string {
  return source.kind === 'duckdb' ? `DuckDB ${source.path}` : describeConnection(source.config);
}

export function resolveWarehouse(
  workspaceAbs: string,
  projectInfo: DbtProjectInfo | DbtProjectInfo[] | undefined,
  settings: WarehouseSettings,
  env: Env = process.env,
  homeDir: string = os.homedir(),
): ResolvedWarehouse {
  const problems: Problem[] = [];
  if (settings.duckdbPath) {
    return { source: { kind: 'duckdb', path: resolvePath(workspaceAbs, settings.duckdbPath, homeDir) }, origin: 'setting duckdbPath', problems };
  }
  if (settings.snowflakeConnection) {
    // An explicit choice is final: a wrong name is reported, not silently replaced by another warehouse.
    const toml = readConnectionsToml({ name: settings.snowflakeConnection, env, homeDir });
    if (!toml.connection) {
      return { problems: toml.problems, reason: toml.problems[0]?.message ?? `Snowflake connection '${settings.snowflakeConnection}' not found in ${toml.path}.` };
    }
    return { source: snowflakeFromToml(toml.connection), origin: `connections.toml [${toml.connection.name}]`, problems };
  }

  const notes: string[] = [];
  for (const info of Array.isArray(projectInfo) ? projectInfo : projectInfo ? [projectInfo] : []) {
    const r = loadConnection({
      projectDir: path.join(workspaceAbs, info.root), profileName: info.profile, target: settings.target,
      profilesPath: settings.profilesPath, env, homeDir, relativeTo: workspaceAbs,
    });
    problems.push(...r.problems);
    const c = r.config;
    const origin = `profiles.yml ${r.profileName}.${r.targetName}`;
    if (c?.type === 'duckdb') {
      if (c.path.startsWith(':memory:') || /^[a-z][a-z0-9+.-]+:/i.test(c.path)) {
        notes.push(`${origin} uses DuckDB at '${c.path}', which is not a local file: set the DuckDB path setting to one`);
        continue;
      }
      return { source: { kind: 'duckdb', path: c.path }, origin, schema: c.schema, problems };
    }
    if (c?.type === 'snowflake') return { source: snowflakeFromProfile(c, env), origin, schema: c.schema, problems };
    if (c?.type === 'other') notes.push(`${origin} uses the ${c.adapter} adapter; DEA queries DuckDB and Snowflake only`);
  }

  const toml = readConnectionsToml({ env, homeDir });
  problems.push(...toml.problems);
  if (toml.connection) return { source: snowflakeFromToml(toml.connection), origin: `connections.toml [${toml.connection.name}]`, problems };

  const why = [...notes, ...problems.filter(p => p.severity === 'error').map(p => p.message)];
  return {
    problems,
    reason: `No warehouse is configured${why.length ? ` (${why.join('; ')})` : ''}: set the DuckDB path or Snowflake connection setting, ` +
      `give the dbt profile a duckdb or snowflake target in profiles.yml, or add a default connection to ${toml.path}.`,
  };
}

function resolvePath(workspaceAbs: string, p: string, homeDir: string): string {
  const expanded = /^~([/\\]|$)/.test(p) ? path.join(homeDir, p.slice(1)) : p.replace(/\$\{workspaceFolder\}/g, workspaceAbs);
  return path.resolve(workspaceAbs, expanded);
}

function snowflakeFromToml(c: { config: SnowflakeConnectionConfig; secrets: SnowflakeSecrets; accessUrl?: string }): WarehouseSource {
  return { kind: 'snowflake', config: c.config, secrets: c.secrets, accessUrl: c.accessUrl };
}

/** profiles.yml values win (they may already read env_var()); the environment fills what the profile leaves out.
 *  The source's config is secret-free: every secret moves to `secrets`. */
function snowflakeFromProfile(c: SnowflakeConnectionConfig, env: Env): WarehouseSource {
  const { password, private_key: privateKey, private_key_passphrase: passphrase, token: _token, private_key_path: written, ...rest } = c;
  const keyPath = written ?? (privateKey ? undefined : env.SNOWFLAKE_PRIVATE_KEY_PATH || undefined);
  return {
    kind: 'snowflake',
    config: keyPath ? { ...rest, private_key_path: keyPath } : rest,
    secrets: {
      password: password ?? (env.SNOWFLAKE_PASSWORD || undefined),
      privateKey,
      passphrase: passphrase ?? (env.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE || undefined),
    },
  };
}

/** "Test connection": opens, reads who/where and counts schemas, closes; the message says what worked or what to do. */
export async function testConnection(source: WarehouseSource, opts: OpenOptions = {}): Promise<{ ok: boolean; message: string }> {
  let conn: WarehouseConnection | undefined;
  try {
    conn = await openWarehouse(source, opts);
    if (conn instanceof SnowflakeWarehouse) {
      const s = await conn.sessionInfo();
      const schemas = await conn.listSchemas();
      const where = [`role ${s.role ?? 'default'}`, s.warehouse ? `warehouse ${s.warehouse}` : 'no warehouse: queries will fail until `warehouse` is set'];
      const db = schemas[0]?.database ?? s.database;
      return { ok: true, message: `Connected to Snowflake account ${source.kind === 'snowflake' ? source.config.account : ''} as ${s.user ?? '?'} (${where.join(', ')}): ${plural(schemas.length, 'schema')}${db ? ` in ${db}` : ''}.` };
    }
    const schemas = await conn.listSchemas();
    const tables = await conn.listTables();
    return { ok: true, message: `Opened ${conn.label}: ${plural(schemas.length, 'schema')}, ${plural(tables.length, 'table')}.` };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  } finally {
    await conn?.close().catch(() => undefined);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
