// `dea sql "<select>"`: one read-only query on the workspace's warehouse (the DuckDB file of its profiles.yml
// target, or --duckdb FILE), printed as an aligned table or JSON. Exit codes: 0 ok, 1 the query failed or no
// warehouse, 2 usage, 3 the SQL guard refused the statement.
import * as path from 'node:path';
import { discoverProjects } from '../core/dbt/discover';
import { checkReadOnly } from '../core/sql/guard';
import { WarehouseConnectionError, type QueryResult } from '../core/warehouse/connection';
import { openWarehouse, resolveWarehouse, type WarehouseSource } from '../core/warehouse/open';
import { flagNumber, flagString, UsageError, type ParsedArgs } from './args';

const EXIT_FAILED = 1;
const EXIT_REFUSED = 3;

export async function sqlCommand(args: ParsedArgs): Promise<number> {
  const sql = args.positionals.join(' ').trim();
  if (!sql) throw new UsageError('dea sql "<select>": the SQL statement is missing');
  const maxRows = flagNumber(args, 'max-rows', 100);
  const timeoutMs = flagNumber(args, 'timeout-ms', 30_000);
  const json = !!args.flags.json;
  const fail = (code: number, kind: string, message: string): number => {
    if (json) process.stdout.write(`${JSON.stringify({ error: message, reason: kind }, null, 2)}\n`);
    process.stderr.write(`dea sql: ${message}\n`);
    return code;
  };

  const target = await resolveTarget(args);
  if ('error' in target) return fail(EXIT_FAILED, 'missing', target.error);
  // Refuse before connecting: a refused statement needs no warehouse and says why at once.
  const dialect = target.source.kind;
  const guard = await checkReadOnly(sql, dialect);
  if (!guard.ok) return fail(EXIT_REFUSED, 'refused', guard.reason);
  let result: QueryResult;
  try {
    const conn = await openWarehouse(target.source);
    try {
      result = await conn.query(guard.statement, { maxRows, timeoutMs });
    } finally {
      await conn.close();
    }
  } catch (e) {
    if (e instanceof WarehouseConnectionError) return fail(e.reason === 'refused' ? EXIT_REFUSED : EXIT_FAILED, e.reason, e.message);
    throw e;
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ columns: result.columns, rows: result.rows, rowCount: result.rows.length, truncated: result.truncated, elapsedMs: result.elapsedMs, sql: result.sql }, null, 2)}\n`);
  } else {
    process.stdout.write(formatTable(result.columns.map(c => c.name), result.rows));
    const n = result.rows.length;
    process.stdout.write(`${n} row${n === 1 ? '' : 's'}${result.truncated ? ` (more exist: raise --max-rows, now ${maxRows})` : ''} in ${result.elapsedMs} ms\n`);
  }
  return 0;
}

/** --duckdb FILE, --snowflake-connection NAME, else the projects' profiles.yml target, else connections.toml's default. */
async function resolveTarget(args: ParsedArgs): Promise<{ source: WarehouseSource } | { error: string }> {
  const workspace = path.resolve(flagString(args, 'workspace') ?? process.cwd());
  const explicit = flagString(args, 'duckdb');
  if (explicit) return { source: { kind: 'duckdb', path: path.resolve(workspace, explicit) } };
  const { projects } = await discoverProjects(workspace);
  const r = resolveWarehouse(workspace, projects, { snowflakeConnection: flagString(args, 'snowflake-connection'), target: flagString(args, 'target') });
  if (r.source) return { source: r.source };
  return { error: `${r.reason ?? 'no warehouse configured'} Pass --duckdb FILE or --snowflake-connection NAME.` };
}

const MAX_CELL = 60;

function cell(v: unknown): string {
  const s = v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const one = s.replace(/\s*\n\s*/g, ' ');
  return one.length > MAX_CELL ? `${one.slice(0, MAX_CELL - 1)}…` : one;
}

/** Header, rule and rows with padded columns; numbers right-aligned. */
export function formatTable(columns: string[], rows: unknown[][]): string {
  const cells = rows.map(r => r.map(cell));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map(r => r[i]?.length ?? 0)));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every(r => r[i] === null || typeof r[i] === 'number'));
  const line = (vals: string[], align = true) => vals.map((v, i) => (align && numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join(' | ').trimEnd();
  return [line(columns, false), widths.map(w => '-'.repeat(w)).join('-+-'), ...cells.map(r => line(r))].join('\n') + '\n';
}
