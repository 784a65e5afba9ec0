// A read-only SQL connection to a DuckDB file for user/LLM queries. The file is ATTACHed READ_ONLY into an
// in-memory instance, then file access and configuration are locked, so DuckDB itself refuses writes to the
// warehouse and reads of other files, whatever SQL gets through.
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type Json } from '@duckdb/node-api';
import { WarehouseError, checkDuckDbFile, describeOpenError, withTimeout } from './duckdbOpen';
import { sqlString } from './relations';
import { jsonValueConverter } from './values';

export interface QueryOptions {
  /** Rows returned at most (default 500); more rows set `truncated`. */
  maxRows?: number;
  /** Default 30 s; the statement is interrupted when it runs longer. */
  timeoutMs?: number;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Json[][];
  truncated: boolean;
  elapsedMs: number;
}

export interface ReadOnlyWarehouse {
  readonly path: string;
  /** Rejects with DuckDB's error, or a QueryTimeoutError when interrupted by the timeout. */
  query(sql: string, opts?: QueryOptions): Promise<QueryResult>;
  close(): void;
}

/**
 * Opens `dbPath` for reading. Holds a shared lock on the file while open, which blocks a writer such as
 * `dbt build`: open it per question and close it after. Throws a WarehouseError with a clear message.
 */
export async function openReadOnly(dbPath: string): Promise<ReadOnlyWarehouse> {
  const missing = checkDuckDbFile(dbPath);
  if (missing) throw new WarehouseError(missing);
  const instance = await DuckDBInstance.create(':memory:');
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    try {
      await connection.run(`ATTACH ${sqlString(dbPath)} AS ${catalogAlias(dbPath)} (READ_ONLY)`);
    } catch (e) {
      throw new WarehouseError(describeOpenError(dbPath, e));
    }
    await connection.run(`USE ${catalogAlias(dbPath)}`);
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
  } catch (e) {
    connection?.closeSync();
    instance.closeSync();
    throw e;
  }
  return new Connection(dbPath, instance, connection);
}

/** dbt-duckdb names the catalog after the file's stem and its views say "<stem>"."schema"."t": attach under that name. */
export function catalogAlias(dbPath: string): string {
  const stem = path.basename(dbPath).replace(/\.(duckdb|ddb|db)$/i, '');
  const reserved = ['memory', 'system', 'temp', 'main'];
  return reserved.includes(stem.toLowerCase()) || !stem ? '"wh"' : `"${stem.replace(/"/g, '""')}"`;
}

class Connection implements ReadOnlyWarehouse {
  private closed = false;
  /** One statement at a time: a DuckDB connection runs statements sequentially and interrupt() hits the current one. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string, private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection) {}

  query(sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
    const run = this.queue.then(() => this.run(sql, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(sql: string, opts: QueryOptions): Promise<QueryResult> {
    if (this.closed) throw new WarehouseError(`The read-only connection to ${this.path} is closed.`);
    const maxRows = Math.max(0, opts.maxRows ?? 500);
    const started = Date.now();
    const reader = await withTimeout(this.connection, opts.timeoutMs ?? 30_000, () => this.connection.streamAndReadUntil(sql, maxRows + 1));
    const rows = reader.convertRows(jsonValueConverter) as Json[][];
    const truncated = rows.length > maxRows;
    const columns = reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() }));
    return { columns, rows: rows.slice(0, maxRows), truncated, elapsedMs: Date.now() - started };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
