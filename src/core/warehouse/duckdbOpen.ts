// Opening a user's DuckDB file and running statements with a deadline, with errors that say what to do next.
import * as fs from 'node:fs';
import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';

/** An error whose message is meant for the user as is. */
export class WarehouseError extends Error {}

/** A clear message when the file cannot be opened at all (missing, a folder), else undefined. */
export function checkDuckDbFile(dbPath: string): string | undefined {
  let stat: fs.Stats;
  try { stat = fs.statSync(dbPath); } catch {
    return `DuckDB database ${dbPath} not found — run \`dbt build\` or \`npm run demo\`, or set the database path.`;
  }
  if (stat.isDirectory()) return `${dbPath} is a folder, not a DuckDB database file: set the database path to the .duckdb file.`;
  return undefined;
}

/** Translates DuckDB's open/attach errors (lock held by a writer, not a database file) into next steps. */
export function describeOpenError(dbPath: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Could not set lock|Conflicting lock/i.test(msg)) {
    const pid = /PID (\d+)/i.exec(msg)?.[1];
    return `DuckDB database ${dbPath} is locked by another process (pid ${pid ?? 'unknown'}) that is writing it; close it or wait, then refresh.`;
  }
  if (/not a valid DuckDB database file|not a DuckDB|invalid magic|Could not read enough bytes/i.test(msg)) {
    return `${dbPath} is not a DuckDB database file (${firstLine(msg)}): set the database path to the .duckdb file dbt writes.`;
  }
  if (/database does not exist/i.test(msg)) return checkDuckDbFile(dbPath) ?? `Cannot open ${dbPath}: ${firstLine(msg)}`;
  if (/version number|storage version|newer version/i.test(msg)) {
    return `${dbPath} was written by a different DuckDB version (${firstLine(msg)}): rebuild it with dbt or use a matching DuckDB.`;
  }
  return `Cannot open DuckDB database ${dbPath}: ${firstLine(msg)}`;
}

export function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

/** Thrown when a statement ran past its deadline and was interrupted. */
export class QueryTimeoutError extends WarehouseError {
  constructor(readonly timeoutMs: number) {
    super(`Query cancelled: it ran longer than the ${timeoutMs} ms timeout. Narrow it (filters, LIMIT) or raise the timeout.`);
  }
}

/**
 * Runs `read` and interrupts the connection once `timeoutMs` has passed; DuckDB then rejects the pending
 * statement, which is reported as a QueryTimeoutError.
 */
export async function withTimeout<T>(connection: DuckDBConnection, timeoutMs: number | undefined, read: () => Promise<T>): Promise<T> {
  if (!timeoutMs || timeoutMs <= 0 || !Number.isFinite(timeoutMs)) return read();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; connection.interrupt(); }, timeoutMs);
  try {
    return await read();
  } catch (e) {
    if (timedOut) throw new QueryTimeoutError(timeoutMs);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a query within the deadline and reads every row. */
export function readAll(connection: DuckDBConnection, sql: string, timeoutMs?: number): Promise<DuckDBResultReader> {
  return withTimeout(connection, timeoutMs, () => connection.runAndReadAll(sql));
}
