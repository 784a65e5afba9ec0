// Data profiling for test inference: row, null and distinct counts per column, the values of low-cardinality
// columns, uniqueness of a key and orphan counts between two relations. Every statement is a small aggregate
// SELECT sent through the read-only WarehouseConnection (the SQL guard checks it again there, with a row limit).
import type { WarehouseTable } from '../types';
import type { QueryResult, WarehouseConnection } from '../warehouse/connection';

export interface ColumnProfile {
  name: string;
  type: string;
  nulls: number;
  /** undefined for types that cannot be counted distinct (structs, lists, JSON, ...). */
  distinct?: number;
  /** Non-null values with their counts, most frequent first, when there are at most `maxValues` of them. */
  values?: { value: string; count: number }[];
}

export interface TableProfile {
  /** The relation as queried ("schema"."table"). */
  relation: string;
  rows: number;
  columns: ColumnProfile[];
  /** Every statement that ran, for the explanation. */
  queries: string[];
}

export interface ProfileOptions {
  /** Values listed for columns with at most this many distinct values (default 10). */
  maxValues?: number;
  /** Only these columns get their values listed (default: text columns). */
  valueColumns?: (c: ColumnProfile) => boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const COLUMNS_PER_QUERY = 40;
const UNCOUNTABLE = /^(struct|map|union|json|variant|object|array|geography|geometry|blob|bytea|binary)\b|\[\]$|^list\b/i;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** How to name a catalog table in SQL: schema.table in DuckDB (the file is the current database), fully
 *  qualified in Snowflake. */
export function relationSql(table: Pick<WarehouseTable, 'database' | 'schema' | 'name'>, kind: WarehouseConnection['kind']): string {
  const parts = kind === 'snowflake' && table.database ? [table.database, table.schema, table.name] : [table.schema, table.name];
  return parts.filter(Boolean).map(quoteIdent).join('.');
}

export function isTextType(type: string): boolean {
  return /char|text|string/i.test(type) && !/\[\]$/.test(type);
}

async function run(conn: WarehouseConnection, sql: string, queries: string[], opts: ProfileOptions, maxRows = 1): Promise<QueryResult> {
  queries.push(sql);
  return conn.query(sql, { maxRows, timeoutMs: opts.timeoutMs ?? 30_000, signal: opts.signal });
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(v ?? 0);
}

/** Rows, nulls and distinct counts of every column; values of the low-cardinality text columns. */
export async function profileTable(conn: WarehouseConnection, relation: string, columns: { name: string; type: string }[], opts: ProfileOptions = {}): Promise<TableProfile> {
  const queries: string[] = [];
  const out: ColumnProfile[] = columns.map(c => ({ name: c.name, type: c.type, nulls: 0 }));
  let rows = 0;
  for (let i = 0; i < columns.length || i === 0; i += COLUMNS_PER_QUERY) {
    const chunk = columns.slice(i, i + COLUMNS_PER_QUERY);
    const select = ['count(*) as row_count'];
    chunk.forEach((c, k) => {
      select.push(`count(${quoteIdent(c.name)}) as nn_${k}`);
      if (!UNCOUNTABLE.test(c.type)) select.push(`count(distinct ${quoteIdent(c.name)}) as d_${k}`);
    });
    const r = await run(conn, `select ${select.join(', ')} from ${relation}`, queries, opts);
    const row = Object.fromEntries(r.columns.map((c, k) => [c.name.toLowerCase(), r.rows[0]?.[k]]));
    rows = num(row.row_count);
    chunk.forEach((c, k) => {
      const p = out[i + k];
      p.nulls = rows - num(row[`nn_${k}`]);
      if (row[`d_${k}`] !== undefined) p.distinct = num(row[`d_${k}`]);
    });
    if (!columns.length) break;
  }
  const maxValues = opts.maxValues ?? 10;
  const wanted = opts.valueColumns ?? (c => isTextType(c.type));
  for (const p of out) {
    if (p.distinct === undefined || p.distinct === 0 || p.distinct > maxValues || !wanted(p)) continue;
    const col = quoteIdent(p.name);
    const r = await run(conn, `select ${col} as value, count(*) as n from ${relation} where ${col} is not null group by 1 order by 2 desc, 1 limit ${maxValues + 1}`, queries, opts, maxValues + 1);
    p.values = r.rows.map(v => ({ value: String(v[0]), count: num(v[1]) }));
  }
  return { relation, rows, columns: out, queries };
}

/** True when `column` has no duplicate non-null values in the relation. */
export async function isUnique(conn: WarehouseConnection, relation: string, column: string, queries: string[], opts: ProfileOptions = {}): Promise<boolean> {
  const col = quoteIdent(column);
  const r = await run(conn, `select count(${col}) as n, count(distinct ${col}) as d from ${relation}`, queries, opts);
  return num(r.rows[0]?.[0]) === num(r.rows[0]?.[1]);
}

/** Non-null values of child.column that have no row in parent.column (an anti-join); 0 means the relationship holds. */
export async function countOrphans(
  conn: WarehouseConnection, child: { relation: string; column: string }, parent: { relation: string; column: string },
  queries: string[], opts: ProfileOptions = {},
): Promise<number> {
  const c = quoteIdent(child.column), p = quoteIdent(parent.column);
  const sql = `select count(*) as orphans from ${child.relation} as child where child.${c} is not null ` +
    `and not exists (select 1 from ${parent.relation} as parent where parent.${p} = child.${c})`;
  const r = await run(conn, sql, queries, opts);
  return num(r.rows[0]?.[0]);
}
