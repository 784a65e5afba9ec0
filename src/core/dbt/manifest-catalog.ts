// target/catalog.json (written by `dbt docs generate`) → WarehouseCatalog.
import type { WarehouseCatalog, WarehouseColumn, WarehouseTable } from '../types';
import { entries, obj, str, type Json } from './manifest-json';

export type CatalogKind = WarehouseCatalog['kind'];

function rowCount(stats: Json | undefined): number | undefined {
  const rc = obj(stats?.row_count);
  if (!rc || rc.include === false) return undefined;
  const v = typeof rc.value === 'number' ? rc.value : typeof rc.value === 'string' ? Number(rc.value) : NaN;
  return Number.isFinite(v) ? v : undefined;
}

function columnsOf(v: unknown): WarehouseColumn[] {
  return entries(v)
    .map(([key, c]) => ({ index: typeof c.index === 'number' ? c.index : Number.MAX_SAFE_INTEGER, c, key }))
    .sort((a, b) => a.index - b.index)
    .map(({ c, key }) => {
      const col: WarehouseColumn = { name: str(c.name) ?? key, type: str(c.type) ?? '' };
      const comment = str(c.comment);
      if (comment) col.comment = comment;
      return col;
    });
}

function tableOf(id: string, j: Json): WarehouseTable | undefined {
  const meta = obj(j.metadata);
  const name = str(meta?.name);
  if (!meta || !name) return undefined;
  const t: WarehouseTable = {
    database: str(meta.database) ?? '',
    schema: str(meta.schema) ?? '',
    name,
    kind: /view/i.test(str(meta.type) ?? '') ? 'view' : 'table',
    columns: columnsOf(j.columns),
    nodeId: str(j.unique_id) ?? id,
  };
  const comment = str(meta.comment);
  if (comment) t.comment = comment;
  const rows = rowCount(obj(j.stats));
  if (rows !== undefined) t.rowCount = rows;
  return t;
}

const SNOWFLAKE_TYPES = /^(NUMBER|TEXT|TIMESTAMP_(NTZ|LTZ|TZ)|VARIANT|OBJECT)\b/;

/** catalog.json does not name its adapter: Snowflake's stats (bytes, last_modified) and types give it away. */
function guessKind(tables: [string, Json][]): CatalogKind {
  for (const [, j] of tables.slice(0, 50)) {
    const stats = obj(j.stats);
    if (stats && ('bytes' in stats || 'last_modified' in stats)) return 'snowflake';
    if (entries(j.columns).some(([, c]) => SNOWFLAKE_TYPES.test(str(c.type) ?? ''))) return 'snowflake';
  }
  return 'duckdb';
}

export function convertCatalog(raw: unknown, origin: string, kind?: CatalogKind): WarehouseCatalog {
  const c = obj(raw);
  if (!c || (!obj(c.nodes) && !obj(c.sources))) {
    return { kind: kind ?? 'duckdb', origin, tables: [], error: `${origin} is not a dbt catalog (no "nodes"); re-run \`dbt docs generate\`` };
  }
  const items = [...entries(c.nodes), ...entries(c.sources)];
  const tables: WarehouseTable[] = [];
  for (const [id, j] of items) {
    const t = tableOf(id, j);
    if (t) tables.push(t);
  }
  return { kind: kind ?? guessKind(items), origin, tables };
}
