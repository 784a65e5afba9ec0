// Which warehouse a workspace uses and its metadata: an explicit DuckDB file, else the first project whose
// profiles.yml target is DuckDB. (Snowflake metadata comes through its own connector.)
import * as path from 'node:path';
import type { DbtNode, ParsedProject, WarehouseCatalog } from '../types';
import { loadConnection } from '../warehouse/profiles';
import { readDuckDbCatalog } from '../warehouse/duckdb';
import { linkCatalog } from '../warehouse/link';

export interface WarehouseOptions {
  /** A DuckDB file given by setting or flag; wins over profiles.yml. */
  duckdbPath?: string;
  /** profiles.yml target to use instead of the profile's default. */
  target?: string;
  /** Explicit profiles.yml (or its folder). */
  profilesPath?: string;
}

export async function loadWarehouseCatalog(root: string, projects: ParsedProject[], nodes: DbtNode[], opts: WarehouseOptions): Promise<WarehouseCatalog | undefined> {
  const found = pickDuckDb(root, projects, opts);
  if (!found) return undefined;
  const catalog = await readDuckDbCatalog(found.path);
  const rel = path.relative(root, found.path).split(path.sep).join('/');
  const origin = rel.startsWith('..') ? found.path : rel;
  if (catalog.error) return { ...catalog, origin };
  return { ...linkCatalog(catalog, nodes, { targetSchema: found.schema }), origin };
}

function pickDuckDb(root: string, projects: ParsedProject[], opts: WarehouseOptions): { path: string; schema?: string } | undefined {
  if (opts.duckdbPath) return { path: path.resolve(root, opts.duckdbPath) };
  for (const p of projects) {
    const r = loadConnection({ projectDir: path.join(root, p.info.root), profileName: p.info.profile, target: opts.target, profilesPath: opts.profilesPath, relativeTo: root });
    if (r.config?.type === 'duckdb' && r.config.path !== ':memory:' && !/^\w+:/.test(r.config.path)) return { path: r.config.path, schema: r.config.schema };
  }
  return undefined;
}
