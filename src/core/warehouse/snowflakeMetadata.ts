// Snowflake metadata from INFORMATION_SCHEMA (per database): schemas, tables and views with row counts and comments,
// columns with types and comments. Names follow Snowflake's rules: unquoted parts are stored upper-case.
import type { WarehouseColumn, WarehouseTable } from '../types';
import type { TableRef } from './connection';

/** Runs one metadata statement (with `?` binds) and returns its rows as objects keyed by column name. */
export type MetaRows = (sql: string, binds?: string[]) => Promise<Record<string, unknown>[]>;

const SIMPLE = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** Splits `db.schema."My Table"` on the dots outside double quotes. */
export function splitName(name: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === '"') {
      if (quoted && name[i + 1] === '"') { cur += '""'; i++; continue; }
      quoted = !quoted;
      cur += ch;
    } else if (ch === '.' && !quoted) {
      parts.push(cur.trim());
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur.trim());
  return parts.filter(p => p !== '');
}

/** How Snowflake stores a name as written: `"Quoted"` keeps its case, an unquoted name is upper-cased. */
export function storedName(written: string): string {
  const w = written.trim();
  if (w.length >= 2 && w.startsWith('"') && w.endsWith('"')) return w.slice(1, -1).replace(/""/g, '"');
  return SIMPLE.test(w) ? w.toUpperCase() : w;
}

/** A stored name as an identifier in SQL: bare when Snowflake would store it that way, else quoted. */
export function sqlIdent(stored: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(stored) ? stored : `"${stored.replace(/"/g, '""')}"`;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const optStr = (v: unknown): string | undefined => (v === null || v === undefined || v === '' ? undefined : String(v));
const optNum = (v: unknown): number | undefined => (v === null || v === undefined || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));

export async function listSchemas(rows: MetaRows, database: string): Promise<{ database: string; schema: string }[]> {
  const r = await rows(`SELECT CATALOG_NAME, SCHEMA_NAME FROM ${sqlIdent(database)}.INFORMATION_SCHEMA.SCHEMATA
    WHERE SCHEMA_NAME <> 'INFORMATION_SCHEMA' ORDER BY SCHEMA_NAME`);
  return r.map(x => ({ database: str(x.CATALOG_NAME), schema: str(x.SCHEMA_NAME) }));
}

function tableFilter(schemas: string[] | undefined, table?: string): { where: string; binds: string[] } {
  const where = ["TABLE_SCHEMA <> 'INFORMATION_SCHEMA'"];
  const binds: string[] = [];
  if (schemas?.length) {
    where.push(`TABLE_SCHEMA IN (${schemas.map(() => '?').join(', ')})`);
    binds.push(...schemas);
  }
  if (table !== undefined) {
    where.push('TABLE_NAME = ?');
    binds.push(table);
  }
  return { where: where.join(' AND '), binds };
}

export async function listTables(rows: MetaRows, database: string, schemas?: string[], table?: string): Promise<TableRef[]> {
  const f = tableFilter(schemas, table);
  const r = await rows(`SELECT TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ROW_COUNT, COMMENT
    FROM ${sqlIdent(database)}.INFORMATION_SCHEMA.TABLES WHERE ${f.where} ORDER BY TABLE_SCHEMA, TABLE_NAME`, f.binds);
  return r.map(x => {
    const kind = /VIEW/i.test(str(x.TABLE_TYPE)) ? 'view' : 'table';
    const t: TableRef = { database: str(x.TABLE_CATALOG), schema: str(x.TABLE_SCHEMA), name: str(x.TABLE_NAME), kind };
    const rowCount = optNum(x.ROW_COUNT);
    if (kind === 'table' && rowCount !== undefined) t.rowCount = rowCount;
    const comment = optStr(x.COMMENT);
    if (comment) t.comment = comment;
    return t;
  });
}

/** Columns of the matching tables, keyed by `schema.table`, in ordinal order. */
async function readColumns(rows: MetaRows, database: string, schemas?: string[], table?: string): Promise<Map<string, WarehouseColumn[]>> {
  const f = tableFilter(schemas, table);
  const r = await rows(`SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE, CHARACTER_MAXIMUM_LENGTH,
      NUMERIC_PRECISION, NUMERIC_SCALE, COMMENT
    FROM ${sqlIdent(database)}.INFORMATION_SCHEMA.COLUMNS WHERE ${f.where}
    ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`, f.binds);
  const out = new Map<string, WarehouseColumn[]>();
  for (const x of r) {
    const key = `${str(x.TABLE_SCHEMA)}.${str(x.TABLE_NAME)}`;
    const col: WarehouseColumn = { name: str(x.COLUMN_NAME), type: typeName(x), nullable: str(x.IS_NULLABLE).toUpperCase() === 'YES' };
    const comment = optStr(x.COMMENT);
    if (comment) col.comment = comment;
    out.set(key, [...(out.get(key) ?? []), col]);
  }
  return out;
}

function typeName(x: Record<string, unknown>): string {
  const t = str(x.DATA_TYPE).toUpperCase();
  const p = optNum(x.NUMERIC_PRECISION);
  const len = optNum(x.CHARACTER_MAXIMUM_LENGTH);
  if (t === 'NUMBER' && p !== undefined) return `NUMBER(${p},${optNum(x.NUMERIC_SCALE) ?? 0})`;
  if (t === 'TEXT' && len !== undefined && len !== 16777216) return `VARCHAR(${len})`;
  return t;
}

/** Tables and views with their columns (two statements for the whole database or the given schemas). */
export async function readTables(rows: MetaRows, database: string, schemas?: string[], table?: string): Promise<WarehouseTable[]> {
  const refs = await listTables(rows, database, schemas, table);
  if (!refs.length) return [];
  const columns = await readColumns(rows, database, schemas, table);
  return refs.map(t => ({ ...t, columns: columns.get(`${t.schema}.${t.name}`) ?? [] }));
}
