// The workspace's warehouse metadata for the index: the warehouse resolved like every other feature does
// (explicit setting, the dbt profiles.yml target, Snowflake's connections.toml default), read read-only and
// linked to the dbt nodes that build each relation.
import * as path from 'node:path';
import type { DbtNode, ParsedProject, WarehouseCatalog } from '../types';
import { readDuckDbCatalog } from '../warehouse/duckdb';
import { linkCatalog } from '../warehouse/link';
import { describeSource, openWarehouse, resolveWarehouse, type WarehouseSettings, type WarehouseSource } from '../warehouse/open';
import { readSnowflakeCatalog, type SnowflakeWarehouse } from '../warehouse/snowflake';
import type { SnowflakeSecrets } from '../warehouse/snowflakeAuth';

export interface WarehouseOptions extends WarehouseSettings {
  /** Secrets the caller holds (VS Code SecretStorage); they fill in what profiles.yml, connections.toml and the env left out. */
  secrets?: SnowflakeSecrets;
  /** For tests: the environment and home folder used to find profiles.yml / connections.toml and secrets. */
  env?: Record<string, string | undefined>;
  homeDir?: string;
}

export interface ResolvedCatalogSource {
  source: WarehouseSource;
  /** Stable across refreshes and free of secrets: what decides whether metadata is read again. */
  key: string;
  schema?: string;
}

/** Which warehouse the index reads metadata from; undefined when none is configured. */
export function catalogSource(root: string, projects: ParsedProject[], opts: WarehouseOptions): ResolvedCatalogSource | undefined {
  const r = resolveWarehouse(root, projects.map(p => p.info), opts, opts.env, opts.homeDir);
  const source = r.source;
  if (!source) return undefined;
  if (source.kind === 'duckdb' && (source.path === ':memory:' || /^\w+:/.test(source.path))) return undefined;
  const withSecrets: WarehouseSource = source.kind === 'snowflake' && opts.secrets
    ? { ...source, secrets: { ...opts.secrets, ...definedOnly(source.secrets) } } : source;
  return { source: withSecrets, key: describeSource(source), schema: r.schema };
}

export async function loadWarehouseCatalog(root: string, found: ResolvedCatalogSource, nodes: DbtNode[]): Promise<WarehouseCatalog> {
  const catalog = found.source.kind === 'duckdb' ? await readDuckDbCatalog(found.source.path) : await readSnowflake(found.source);
  const origin = found.source.kind === 'duckdb' ? relativeOrigin(root, found.source.path) : catalog.origin;
  if (catalog.error) return { ...catalog, origin };
  return { ...linkCatalog(catalog, nodes, { targetSchema: found.schema }), origin };
}

async function readSnowflake(source: WarehouseSource): Promise<WarehouseCatalog> {
  try {
    const conn = await openWarehouse(source) as SnowflakeWarehouse;
    try {
      return await readSnowflakeCatalog(conn);
    } finally {
      await conn.close();
    }
  } catch (e) {
    return { kind: 'snowflake', origin: describeSource(source), tables: [], error: (e as Error).message };
  }
}

function relativeOrigin(root: string, abs: string): string {
  const rel = path.relative(root, abs).split(path.sep).join('/');
  return rel.startsWith('..') ? abs : rel;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
