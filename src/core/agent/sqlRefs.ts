// Which catalog tables and columns a SQL statement reads: a light scan (comments and strings removed, dotted names
// after FROM/JOIN, CTE names excluded), used for citations and for the exact schema shown after an error. The SQL
// guard and the identifier check do the real parsing; this only has to be right for statements they accepted.
import type { WarehouseTable } from '../types';

interface Token {
  kind: 'ident' | 'quoted' | 'punct' | 'other';
  text: string;
}

export interface SqlRefs {
  /** Tables in order of first use, without duplicates. */
  tables: WarehouseTable[];
  /** Columns of those tables the statement names, in order of first use. */
  columns: { table: WarehouseTable; column: string }[];
}

/** Lower-cased identifiers that are never table names after FROM (table functions, subqueries, LATERAL...). */
const NOT_TABLES = new Set(['select', 'lateral', 'unnest', 'values', 'generate_series', 'range']);

export function sqlReferences(sql: string, tables: WarehouseTable[], prefer: (a: WarehouseTable, b: WarehouseTable) => number = () => 0): SqlRefs {
  const tokens = tokenize(sql);
  const ctes = cteNames(tokens);
  const used: WarehouseTable[] = [];
  const add = (t: WarehouseTable | undefined) => { if (t && !used.includes(t)) used.push(t); };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!isName(t)) continue;
    const { parts, end } = dotted(tokens, i);
    const prev = tokens[i - 1];
    const afterFrom = prev?.kind === 'ident' && /^(from|join)$/i.test(prev.text);
    if (parts.length >= 2 || afterFrom) {
      if (!(parts.length === 1 && (ctes.has(parts[0].toLowerCase()) || NOT_TABLES.has(parts[0].toLowerCase())))) {
        add(match(parts, tables, prefer));
      }
    }
    i = end;
  }
  const names = new Set<string>();
  for (const t of tokens) if (isName(t)) names.add(t.text.toLowerCase());
  const columns: SqlRefs['columns'] = [];
  const seen = new Set<string>();
  for (const t of tokens) {
    if (!isName(t)) continue;
    const name = t.text.toLowerCase();
    for (const table of used) {
      const col = table.columns.find(c => c.name.toLowerCase() === name);
      const key = `${table.schema}.${table.name}.${name}`;
      if (col && !seen.has(key)) { seen.add(key); columns.push({ table, column: col.name }); }
    }
  }
  return { tables: used, columns };
}

/** A table for a 1-3 part name; a bare name matching several schemas takes the preferred one. `alias.column`
 *  (two parts) matches only when the alias happens to be a schema holding a table of that name. */
function match(parts: string[], tables: WarehouseTable[], prefer: (a: WarehouseTable, b: WarehouseTable) => number): WarehouseTable | undefined {
  const p = parts.slice(-3).map(s => s.toLowerCase());
  const [name, schema, db] = [...p].reverse();
  const hits = tables.filter(t => t.name.toLowerCase() === name && (!schema || t.schema.toLowerCase() === schema)
    && (!db || t.database.toLowerCase() === db));
  return [...hits].sort(prefer)[0];
}

function isName(t: Token | undefined): t is Token {
  return !!t && (t.kind === 'ident' || t.kind === 'quoted');
}

function dotted(tokens: Token[], i: number): { parts: string[]; end: number } {
  const parts = [tokens[i].text];
  let j = i;
  while (tokens[j + 1]?.text === '.' && isName(tokens[j + 2])) {
    parts.push(tokens[j + 2].text);
    j += 2;
  }
  return { parts, end: j };
}

/** Names declared as `name AS (` (optionally `AS MATERIALIZED (`): common table expressions. */
function cteNames(tokens: Token[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (!isName(tokens[i]) || !/^as$/i.test(tokens[i + 1].text)) continue;
    const next = tokens[i + 2].text.toLowerCase() === 'materialized' || tokens[i + 2].text.toLowerCase() === 'not' ? tokens[i + 3]?.text === '(' || tokens[i + 4]?.text === '(' : tokens[i + 2].text === '(';
    if (next) out.add(tokens[i].text.toLowerCase());
  }
  return out;
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') { const e = sql.indexOf('\n', i); i = e < 0 ? sql.length : e + 1; continue; }
    if (c === '/' && sql[i + 1] === '*') { const e = sql.indexOf('*/', i + 2); i = e < 0 ? sql.length : e + 2; continue; }
    if (c === "'") { i = skipQuoted(sql, i, "'"); out.push({ kind: 'other', text: "''" }); continue; }
    if (c === '$' && sql[i + 1] === '$') { const e = sql.indexOf('$$', i + 2); i = e < 0 ? sql.length : e + 2; out.push({ kind: 'other', text: "''" }); continue; }
    if (c === '"' || c === '`') {
      const end = skipQuoted(sql, i, c);
      out.push({ kind: 'quoted', text: sql.slice(i + 1, end - 1).split(c + c).join(c) });
      i = end;
      continue;
    }
    const m = /^[A-Za-z_][\w$]*/.exec(sql.slice(i, i + 256));
    if (m) { out.push({ kind: 'ident', text: m[0] }); i += m[0].length; continue; }
    out.push({ kind: /[.,()]/.test(c) ? 'punct' : 'other', text: c });
    i++;
  }
  return out;
}

/** Index just after the closing quote (a doubled quote is an escaped one). */
function skipQuoted(s: string, start: number, q: string): number {
  let i = start + 1;
  while (i < s.length) {
    if (s[i] === q) {
      if (s[i + 1] === q) { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  return s.length;
}
