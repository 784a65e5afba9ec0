// The one interface every warehouse connector implements (DuckDB, Snowflake). Connections are read-only by
// construction; SQL reaches `query` only after the guard in core/sql has accepted it.
import type { WarehouseTable } from '../types';

export interface QueryResult {
  columns: { name: string; type: string }[];
  /** JSON-friendly values (numbers, strings, booleans, null; dates as ISO strings). */
  rows: unknown[][];
  /** More rows existed than the limit. */
  truncated: boolean;
  elapsedMs: number;
  /** The statement actually sent (after limit wrapping), for display. */
  sql: string;
}

export interface RunOptions {
  maxRows: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TableRef {
  database: string;
  schema: string;
  name: string;
  kind: 'table' | 'view';
  rowCount?: number;
  comment?: string;
}

export interface WarehouseConnection {
  readonly kind: 'duckdb' | 'snowflake';
  /** For messages and logs: never contains a secret. */
  readonly label: string;
  /** Runs ONE statement already accepted by the SQL guard, with a row limit and a timeout. */
  query(sql: string, opts: RunOptions): Promise<QueryResult>;
  listSchemas(): Promise<{ database: string; schema: string }[]>;
  listTables(schema?: string): Promise<TableRef[]>;
  /** `name` may be `table`, `schema.table` or `database.schema.table`. */
  describeTable(name: string): Promise<WarehouseTable | undefined>;
  close(): Promise<void>;
}

/** A warehouse failure whose message says which warehouse, what happened and what to do. */
export class WarehouseConnectionError extends Error {
  constructor(message: string, readonly reason: 'missing' | 'unreachable' | 'auth' | 'locked' | 'sql' | 'timeout' | 'refused' | 'other') {
    super(message);
    this.name = 'WarehouseConnectionError';
  }
}
