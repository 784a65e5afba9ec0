// WarehouseConnection for a DuckDB file, on top of openReadOnly (in-memory instance, file ATTACHed READ_ONLY,
// external access off, configuration locked). Every query passes the SQL guard again and is limit-wrapped.
// The open connection holds a shared lock that blocks writers such as `dbt build`: open per question, close after.
import * as path from 'node:path';
import type { WarehouseColumn, WarehouseTable } from '../types';
import { checkReadOnly, wrapLimit } from '../sql/guard';
import { WarehouseConnectionError, type QueryResult, type RunOptions, type TableRef, type WarehouseConnection } from './connection';
import { QueryTimeoutError, WarehouseError, firstLine } from './duckdbOpen';
import { catalogAlias, openReadOnly, type ReadOnlyWarehouse } from './readOnly';
import { sqlString } from './relations';

/** Opens `dbPath` read-only; throws a WarehouseConnectionError (missing, locked, other) that says what to do. */
export async function openDuckDbConnection(dbPath: string): Promise<WarehouseConnection> {
  const abs = path.resolve(dbPath);
  try {
    return new DuckDbConnection(abs, await openReadOnly(abs));
  } catch (e) {
    throw openError(abs, e);
  }
}

function openError(dbPath: string, e: unknown): WarehouseConnectionError {
  const msg = e instanceof Error ? e.message : String(e);
  if (!(e instanceof WarehouseError)) return new WarehouseConnectionError(`Cannot open DuckDB database ${dbPath}: ${firstLine(msg)}`, 'other');
  if (/not found|is a folder/.test(msg)) return new WarehouseConnectionError(msg, 'missing');
  if (/locked by another process/.test(msg)) return new WarehouseConnectionError(msg, 'locked');
  return new WarehouseConnectionError(msg, 'other');
}

const SYSTEM_SCHEMAS = `('information_schema', 'pg_catalog')`;

class DuckDbConnection implements WarehouseConnection {
  readonly kind = 'duckdb' as const;
  readonly label: string;
  /** The query still running after its caller gave up (abort): close waits for it, then releases the file. */
  private running: Promise<unknown> | undefined;
  private closed = false;

  constructor(readonly dbPath: string, private readonly wh: ReadOnlyWarehouse) {
    this.label = `DuckDB ${dbPath}`;
  }

  async query(sql: string, opts: RunOptions): Promise<QueryResult> {
    const guard = await checkReadOnly(sql, 'duckdb');
    if (!guard.ok) throw new WarehouseConnectionError(guard.reason, 'refused');
    const maxRows = Math.max(0, Math.floor(opts.maxRows));
    // One row more than asked tells whether the result was truncated.
    const sent = guard.kind === 'select' ? wrapLimit(guard.statement, maxRows + 1, 'duckdb') : guard.statement;
    // What runs is what was parsed: the wrapped text must itself be one read-only statement.
    if (sent !== guard.statement) {
      const again = await checkReadOnly(sent, 'duckdb');
      if (!again.ok) throw new WarehouseConnectionError(again.reason, 'refused');
    }
    const r = await this.run(sent, maxRows, opts);
    return { columns: r.columns, rows: r.rows as unknown[][], truncated: r.truncated, elapsedMs: r.elapsedMs, sql: sent };
  }

  /** Runs internal SQL (catalog queries) or guarded SQL with the limit, timeout and cancellation. */
  private async run(sql: string, maxRows: number, opts: { timeoutMs: number; signal?: AbortSignal }) {
    if (this.closed) throw new WarehouseConnectionError(`The connection to ${this.dbPath} is closed: open a new one.`, 'other');
    const { signal } = opts;
    if (signal?.aborted) throw cancelled();
    const work = this.wh.query(sql, { maxRows, timeoutMs: opts.timeoutMs });
    this.running = work.catch(() => undefined);
    // openReadOnly can only interrupt on its timeout: an abort answers the caller at once and the statement
    // stops at its timeout at the latest (close() waits for it before releasing the file).
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(cancelled());
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([work, aborted]);
    } catch (e) {
      throw e instanceof WarehouseConnectionError ? e : this.queryError(e);
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  private queryError(e: unknown): WarehouseConnectionError {
    if (e instanceof QueryTimeoutError) return new WarehouseConnectionError(`DuckDB ${this.dbPath}: ${e.message}`, 'timeout');
    if (e instanceof WarehouseError) return new WarehouseConnectionError(e.message, 'other');
    const full = e instanceof Error ? e.message : String(e);
    // DuckDB's own "Did you mean …" line is the best hint there is: keep it.
    const didYouMean = /^\s*(Did you mean[^\n]*)/m.exec(full.split('\n').slice(1).join('\n'))?.[1];
    const msg = `${firstLine(full).replace(/[.!]+$/, '')}${didYouMean ? ` (${didYouMean.trim().replace(/[.?!]+$/, '')}?)` : ''}`;
    const catalog = /Catalog "([^"]+)" does not exist/.exec(msg);
    const hint = catalog
      ? ` The warehouse file is attached as ${catalogAlias(this.dbPath)}: name tables as schema.table (e.g. marts.orders), or with that database name, not "${catalog[1]}".`
      : /does not exist|not found|Referenced column/i.test(msg) ? ' Check the names with list_tables/describe_table and retry with the exact schema.' : '';
    return new WarehouseConnectionError(`DuckDB ${this.dbPath} rejected the query: ${msg}.${hint}`, 'sql');
  }

  private async rows(sql: string): Promise<Record<string, unknown>[]> {
    const r = await this.run(sql, 1_000_000, { timeoutMs: 30_000 });
    return r.rows.map(row => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
  }

  async listSchemas(): Promise<{ database: string; schema: string }[]> {
    const rows = await this.rows(`SELECT catalog_name, schema_name FROM information_schema.schemata
      WHERE catalog_name = current_database() AND schema_name NOT IN ${SYSTEM_SCHEMAS} ORDER BY schema_name`);
    return rows.map(r => ({ database: String(r.catalog_name), schema: String(r.schema_name) }));
  }

  async listTables(schema?: string): Promise<TableRef[]> {
    const rows = await this.rows(`SELECT t.table_catalog, t.table_schema, t.table_name, t.table_type, d.comment, d.estimated_size
      FROM information_schema.tables t
      LEFT JOIN duckdb_tables() d ON d.database_name = t.table_catalog AND d.schema_name = t.table_schema AND d.table_name = t.table_name
      WHERE t.table_catalog = current_database() AND t.table_schema NOT IN ${SYSTEM_SCHEMAS}
      ${schema ? `AND lower(t.table_schema) = lower(${sqlString(schema)})` : ''}
      ORDER BY t.table_schema, t.table_name`);
    const views = new Map((await this.rows(`SELECT schema_name, view_name, comment FROM duckdb_views() WHERE database_name = current_database()`))
      .map(v => [`${v.schema_name}.${v.view_name}`, v.comment]));
    return rows.map(r => {
      const kind = String(r.table_type).toUpperCase() === 'VIEW' ? 'view' : 'table';
      const ref: TableRef = { database: String(r.table_catalog), schema: String(r.table_schema), name: String(r.table_name), kind };
      const comment = kind === 'view' ? views.get(`${r.table_schema}.${r.table_name}`) : r.comment;
      if (comment) ref.comment = String(comment);
      if (kind === 'table' && r.estimated_size !== null && r.estimated_size !== undefined) ref.rowCount = Number(r.estimated_size);
      return ref;
    });
  }

  async describeTable(name: string): Promise<WarehouseTable | undefined> {
    const parts = splitName(name);
    const [table, schema, db] = [...parts].reverse();
    const where = [`lower(table_name) = lower(${sqlString(table)})`, db ? `lower(table_catalog) = lower(${sqlString(db)})` : 'table_catalog = current_database()'];
    if (schema) where.push(`lower(table_schema) = lower(${sqlString(schema)})`);
    where.push(`table_schema NOT IN ${SYSTEM_SCHEMAS}`);
    const found = await this.rows(`SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables
      WHERE ${where.join(' AND ')} ORDER BY table_schema = 'main' DESC, table_schema LIMIT 1`);
    if (!found.length) return undefined;
    const t = found[0];
    const key = `database_name = ${sqlString(String(t.table_catalog))} AND schema_name = ${sqlString(String(t.table_schema))}`;
    const cols = await this.rows(`SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns()
      WHERE ${key} AND table_name = ${sqlString(String(t.table_name))} ORDER BY column_index`);
    const kind = String(t.table_type).toUpperCase() === 'VIEW' ? 'view' : 'table';
    const meta = kind === 'view'
      ? await this.rows(`SELECT comment FROM duckdb_views() WHERE ${key} AND view_name = ${sqlString(String(t.table_name))}`)
      : await this.rows(`SELECT comment FROM duckdb_tables() WHERE ${key} AND table_name = ${sqlString(String(t.table_name))}`);
    const columns: WarehouseColumn[] = cols.map(c => {
      const col: WarehouseColumn = { name: String(c.column_name), type: String(c.data_type), nullable: c.is_nullable === true };
      if (c.comment) col.comment = String(c.comment);
      return col;
    });
    const out: WarehouseTable = { database: String(t.table_catalog), schema: String(t.table_schema), name: String(t.table_name), kind, columns };
    if (meta[0]?.comment) out.comment = String(meta[0].comment);
    if (kind === 'table') {
      const quoted = [t.table_catalog, t.table_schema, t.table_name].map(p => `"${String(p).replace(/"/g, '""')}"`).join('.');
      out.rowCount = Number((await this.rows(`SELECT count(*) AS n FROM ${quoted}`))[0]?.n ?? 0);
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.running;
    this.wh.close();
  }
}

function cancelled(): WarehouseConnectionError {
  return new WarehouseConnectionError('Query cancelled.', 'other');
}

/** `a.b.c` with optional double quotes around each part. */
function splitName(name: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."]+))\s*(?:\.|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < name.length && (m = re.exec(name))) parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].trim());
  return parts.length ? parts.slice(-3) : [name];
}
