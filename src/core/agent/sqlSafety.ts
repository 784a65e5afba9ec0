// The agent's narrow view of core/sql: the read-only guard, the identifier check against the catalog, and the
// personal-data mask. Kept in one place so the tools do not depend on those modules' result shapes.
import type { WarehouseCatalog } from '../types';
import type { QueryResult } from '../warehouse/connection';
import { checkReadOnly } from '../sql/guard';
import { checkIdentifiers } from '../sql/identifiers';
import { detectPersonalColumns, maskRows } from '../sql/pii';
import type { SqlDialect } from './tools/tool';

export type Guarded = { ok: true; statement: string } | { ok: false; reason: string };

export async function guardSql(sql: string, dialect: SqlDialect): Promise<Guarded> {
  const r = await checkReadOnly(sql, dialect);
  return r.ok ? { ok: true, statement: r.statement } : { ok: false, reason: r.reason };
}

export interface IdentifierProblems {
  /** What is unknown and what exists instead (several lines). */
  message: string;
  /** The first problem in a line, for the UI. */
  summary: string;
  /** Tables the statement meant: suggested tables for unknown ones, the looked-up tables for unknown columns. */
  meant: string[];
}

/** Unknown tables and columns of an accepted statement against the catalog, before it runs; undefined when all are known. */
export async function identifierProblems(statement: string, catalog: WarehouseCatalog, dialect: SqlDialect): Promise<IdentifierProblems | undefined> {
  const r = await checkIdentifiers(statement, catalog, dialect);
  if (!r.unknown.length) return undefined;
  const meant = r.unknown.flatMap(u => (u.kind === 'table' ? u.suggestions.slice(0, 2) : u.tables ?? []));
  const first = r.unknown[0];
  return { message: r.message, summary: `unknown ${first.kind} ${first.name}`, meant: [...new Set(meant)] };
}

/** The copy of a result a model may see, and the names of the columns masked in it; `tables` are the tables the
 *  rows come from (a plain `name` column is personal only in a table of people). */
export function maskForModel(result: QueryResult, allow: boolean, tables: string[] = []): { sent: QueryResult; masked: string[] } {
  if (allow) return { sent: result, masked: [] };
  const personal = detectPersonalColumns(result.columns, result.rows, { tables });
  return { sent: maskRows(result, personal), masked: personal.map(p => p.name) };
}
