// Query results as data: cell text, sorting, and CSV/TSV text. Pure (no DOM), shared by the webview (grid, copy)
// and the extension (clipboard, Export CSV), so what the user sees is what gets copied or saved.
import type { GridSort, QueryResult } from '../src/extension/protocol';

/** How a cell reads in the grid and in CSV/TSV: NULL as an empty string in files, structs/lists as JSON. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try { return JSON.stringify(v); } catch { return String(v); }
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number, or a numeric string (DECIMAL and HUGEINT values may arrive as text); otherwise undefined. */
export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v);
  return undefined;
}

/** Grid order: NULLs last in both directions, numbers numerically, the rest as text (natural order: "a2" < "a10"). */
export function compareCells(a: unknown, b: unknown): number {
  const an = a === null || a === undefined, bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  const x = numericValue(a), y = numericValue(b);
  if (x !== undefined && y !== undefined) return x - y;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return cellText(a).localeCompare(cellText(b), undefined, { numeric: true, sensitivity: 'base' });
}

/** The rows in the grid's order (stable: equal cells keep the query's order); NULLs stay last either way. */
export function sortRows(rows: unknown[][], sort: GridSort | undefined): unknown[][] {
  if (!sort) return rows;
  const sign = sort.dir === 'asc' ? 1 : -1;
  return rows.map((r, i) => ({ r, i })).sort((p, q) => {
    const a = p.r[sort.column], b = q.r[sort.column];
    const nullA = a === null || a === undefined, nullB = b === null || b === undefined;
    const c = nullA || nullB ? compareCells(a, b) : sign * compareCells(a, b);
    return c || p.i - q.i;
  }).map(x => x.r);
}

/** The next sort when a header is clicked: ascending, then descending, then the query's own order. */
export function nextSort(current: GridSort | undefined, column: number): GridSort | undefined {
  if (!current || current.column !== column) return { column, dir: 'asc' };
  return current.dir === 'asc' ? { column, dir: 'desc' } : undefined;
}

/**
 * One field of CSV (`,`) or TSV (`\t`): quoted when it holds the separator, a quote or a line break (quotes doubled,
 * RFC 4180). Text that a spreadsheet would run as a formula (=, +, -, @ and not a number) gets a leading `'`.
 */
export function delimitedField(v: unknown, sep: ',' | '\t'): string {
  let s = cellText(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && numericValue(s) === undefined) s = `'${s}`;
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The whole result as CSV or TSV: a header line, then the rows (CRLF line ends, as RFC 4180 and spreadsheets expect). */
export function toDelimited(result: Pick<QueryResult, 'columns' | 'rows'>, sep: ',' | '\t', sort?: GridSort): string {
  const lines = [result.columns.map(c => delimitedField(c.name, sep)).join(sep)];
  for (const row of sortRows(result.rows, sort)) lines.push(row.map(v => delimitedField(v, sep)).join(sep));
  return `${lines.join('\r\n')}\r\n`;
}

/** "200 rows (limit reached) · 35 ms" */
export function resultSummary(result: Pick<QueryResult, 'rows' | 'truncated' | 'elapsedMs'>): string {
  const n = result.rows.length;
  const ms = result.elapsedMs < 1000 ? `${Math.round(result.elapsedMs)} ms` : `${(result.elapsedMs / 1000).toFixed(1)} s`;
  return `${n} row${n === 1 ? '' : 's'}${result.truncated ? ' (row limit reached: more exist)' : ''} · ${ms}`;
}

const NUMERIC_TYPE = /^(tinyint|smallint|integer|int|bigint|hugeint|utinyint|usmallint|uinteger|ubigint|uhugeint|float|double|real|decimal|numeric|number|fixed)\b/i;

/** Whether a column holds numbers: by its declared type, else by every non-null value being numeric. */
export function isNumericColumn(result: Pick<QueryResult, 'columns' | 'rows'>, k: number): boolean {
  const type = result.columns[k]?.type ?? '';
  if (NUMERIC_TYPE.test(type.trim())) return true;
  if (type && !/^(unknown|)$/i.test(type)) return false;
  const values = result.rows.map(r => r[k]).filter(v => v !== null && v !== undefined);
  return values.length > 0 && values.every(v => numericValue(v) !== undefined);
}
