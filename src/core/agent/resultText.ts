// Query results as compact text: a markdown table for the model and for answers, CSV for exports.
import type { QueryResult } from '../warehouse/connection';

/** A cell as short text: null as ∅ would confuse models, so it is `NULL`; long text is cut. */
export function cellText(v: unknown, max = 80): string {
  if (v === null || v === undefined) return 'NULL';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  const one = s.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

/** The first `maxRows` rows as a markdown table, with a line saying how many rows were left out. */
export function markdownTable(r: Pick<QueryResult, 'columns' | 'rows' | 'truncated'>, maxRows = 20): string {
  if (!r.columns.length) return '(no columns)';
  const head = `| ${r.columns.map(c => mdCell(c.name)).join(' | ')} |`;
  const rule = `| ${r.columns.map(c => (isNumericType(c.type) ? '---:' : '---')).join(' | ')} |`;
  const body = r.rows.slice(0, maxRows).map(row => `| ${row.map(v => mdCell(cellText(v))).join(' | ')} |`);
  const more = r.rows.length > maxRows ? `\n… ${r.rows.length - maxRows} more row${r.rows.length - maxRows === 1 ? '' : 's'}` : '';
  const limit = r.truncated ? '\n(the result was cut at the row limit: more rows exist)' : '';
  return [head, rule, ...body].join('\n') + (r.rows.length ? '' : '\n(no rows)') + more + limit;
}

export function toCsv(r: Pick<QueryResult, 'columns' | 'rows'>): string {
  const esc = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [r.columns.map(c => esc(c.name)).join(','), ...r.rows.map(row => row.map(esc).join(','))].join('\n');
}

export function isNumericType(type: string): boolean {
  return /^(u?(tiny|small|big|huge)?int(eger)?\d*|decimal|numeric|number|double|float\d*|real)\b/i.test(type);
}

/** "3 rows in 12 ms" (+ "cut at the limit"). */
export function resultSummary(r: Pick<QueryResult, 'rows' | 'truncated' | 'elapsedMs'>): string {
  return `${r.rows.length} row${r.rows.length === 1 ? '' : 's'}${r.truncated ? ' (more exist: cut at the row limit)' : ''} in ${Math.round(r.elapsedMs)} ms`;
}
