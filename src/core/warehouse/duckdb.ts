// Reads a DuckDB file's catalog (tables, views, columns, comments, row counts), opened read-only.
import { DuckDBInstance, type DuckDBConnection, type Json } from '@duckdb/node-api';
import type { WarehouseCatalog, WarehouseColumn, WarehouseTable } from '../types';
import { QueryTimeoutError, checkDuckDbFile, describeOpenError, firstLine, readAll } from './duckdbOpen';
import { quoteIdent } from './relations';

export interface DuckDbCatalogOptions {
  /** Budget for reading the whole catalog (default 30 s). */
  timeoutMs?: number;
}

/** Below this estimate a table's rows are counted exactly; above it the estimate is good enough and cheap. */
const EXACT_COUNT_LIMIT = 1_000_000;
const SYSTEM_FILTER = `database_name NOT IN ('system', 'temp') AND schema_name NOT IN ('information_schema', 'pg_catalog')
  AND NOT internal`;

export async function readDuckDbCatalog(dbPath: string, opts: DuckDbCatalogOptions = {}): Promise<WarehouseCatalog> {
  const fail = (error: string): WarehouseCatalog => ({ kind: 'duckdb', origin: dbPath, tables: [], error });
  const missing = checkDuckDbFile(dbPath);
  if (missing) return fail(missing);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  } catch (e) {
    return fail(describeOpenError(dbPath, e));
  }
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    const tables = await readTables(connection, Date.now() + timeoutMs);
    return { kind: 'duckdb', origin: dbPath, tables };
  } catch (e) {
    if (e instanceof QueryTimeoutError) return fail(`Reading the catalog of ${dbPath} took longer than ${timeoutMs} ms and was cancelled: raise the timeout or try again.`);
    return fail(`Cannot read the catalog of ${dbPath}: ${firstLine(e instanceof Error ? e.message : String(e))}`);
  } finally {
    connection?.closeSync();
    instance.closeSync();
  }
}

type Row = Record<string, Json>;

async function rows(c: DuckDBConnection, sql: string, deadline: number): Promise<Row[]> {
  const reader = await readAll(c, sql, Math.max(1, deadline - Date.now()));
  return reader.getRowObjectsJson() as Row[];
}

const text = (v: Json): string => (v === null || v === undefined ? '' : String(v));
const key = (db: Json, schema: Json, name: Json) => `${text(db)}\u0000${text(schema)}\u0000${text(name)}`;

async function readTables(c: DuckDBConnection, deadline: number): Promise<WarehouseTable[]> {
  const tableRows = await rows(c, `SELECT database_name, schema_name, table_name AS name, comment, estimated_size
    FROM duckdb_tables() WHERE NOT temporary AND ${SYSTEM_FILTER}`, deadline);
  const viewRows = await rows(c, `SELECT database_name, schema_name, view_name AS name, comment
    FROM duckdb_views() WHERE NOT temporary AND ${SYSTEM_FILTER}`, deadline);
  const columnRows = await rows(c, `SELECT database_name, schema_name, table_name, column_name, comment, is_nullable, data_type
    FROM duckdb_columns() WHERE ${SYSTEM_FILTER} ORDER BY database_name, schema_name, table_name, column_index`, deadline);

  const columns = new Map<string, WarehouseColumn[]>();
  for (const r of columnRows) {
    const k = key(r.database_name, r.schema_name, r.table_name);
    const col: WarehouseColumn = { name: text(r.column_name), type: text(r.data_type), nullable: r.is_nullable === true };
    if (r.comment) col.comment = text(r.comment);
    columns.set(k, [...(columns.get(k) ?? []), col]);
  }
  const make = (r: Row, kind: 'table' | 'view'): WarehouseTable => {
    const t: WarehouseTable = { database: text(r.database_name), schema: text(r.schema_name), name: text(r.name), kind, columns: columns.get(key(r.database_name, r.schema_name, r.name)) ?? [] };
    if (r.comment) t.comment = text(r.comment);
    if (kind === 'table') t.rowCount = Number(r.estimated_size ?? 0);
    return t;
  };
  const tables = [...tableRows.map(r => make(r, 'table')), ...viewRows.map(r => make(r, 'view'))];
  await countRows(c, tables.filter(t => t.kind === 'table' && (t.rowCount ?? 0) < EXACT_COUNT_LIMIT), deadline);
  return tables.sort((a, b) => a.database.localeCompare(b.database) || a.schema.localeCompare(b.schema) || a.name.localeCompare(b.name));
}

/** Exact counts, 50 tables per statement; a failing batch keeps the estimates. */
async function countRows(c: DuckDBConnection, tables: WarehouseTable[], deadline: number): Promise<void> {
  for (let i = 0; i < tables.length; i += 50) {
    const batch = tables.slice(i, i + 50);
    const sql = batch.map((t, j) => `SELECT ${j} AS i, count(*) AS n FROM ${quoteIdent(t.database)}.${quoteIdent(t.schema)}.${quoteIdent(t.name)}`).join(' UNION ALL ');
    try {
      for (const r of await rows(c, sql, deadline)) batch[Number(r.i)].rowCount = Number(r.n);
    } catch (e) {
      if (e instanceof QueryTimeoutError) throw e;
    }
  }
}
