// The tables and columns a statement refers to, per query scope, read from a parser's AST: DuckDB's own
// (json_serialize_sql) or node-sql-parser's Snowflake grammar. When the Snowflake grammar cannot read the
// statement, a token scan finds the tables after FROM/JOIN (columns are then left unchecked).
import { Parser } from 'node-sql-parser/build/snowflake';
import { parseDuckDb, type DuckDbNode } from './duckdbParser';
import { significant, tokenize, type SqlDialect, type Token } from './tokenize';

/** A FROM item: a catalog relation (`parts` = [database?, schema?, name]) or something derived (subquery, CTE, table function). */
export interface RelationRef {
  alias?: string;
  parts?: string[];
  derived?: boolean;
}

export interface Scope {
  relations: RelationRef[];
  /** Column references written in this query block (not in nested blocks): parts as written, e.g. ['o', 'status']. */
  columns: string[][];
  children: Scope[];
  parent?: Scope;
}

export interface References {
  root: Scope;
  /** CTE names, select-list aliases and lambda parameters: names that are not catalog objects. */
  cteNames: Set<string>;
  aliases: Set<string>;
  /** False when columns could not be read (the parser failed and only tables were found by tokens). */
  columnsRead: boolean;
}

const lower = (s: string) => s.toLowerCase();

function newScope(parent?: Scope): Scope {
  const s: Scope = { relations: [], columns: [], children: [], parent };
  parent?.children.push(s);
  return s;
}

/** The references of one statement (already accepted by the guard), or undefined when it cannot be read at all. */
export async function readReferences(statement: string, dialect: SqlDialect): Promise<References | undefined> {
  return dialect === 'duckdb' ? duckDbReferences(statement) : snowflakeReferences(statement);
}

// ---------------------------------------------------------------- DuckDB AST

async function duckDbReferences(statement: string): Promise<References | undefined> {
  const parsed = await parseDuckDb(statement);
  if (parsed.error || parsed.statements.length !== 1) return undefined;
  const refs: References = { root: newScope(), cteNames: new Set(), aliases: new Set(), columnsRead: true };
  collectCteNames(parsed.statements[0], refs.cteNames);
  duckQuery(parsed.statements[0], refs.root, refs);
  return refs;
}

function collectCteNames(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) { v.forEach(x => collectCteNames(x, out)); return; }
  if (!v || typeof v !== 'object') return;
  const n = v as DuckDbNode;
  if (n.cte_map && typeof n.cte_map === 'object') {
    for (const e of ((n.cte_map as DuckDbNode).map as { key?: string }[] | undefined) ?? []) if (e.key) out.add(lower(e.key));
  }
  if (typeof n.cte_name === 'string') out.add(lower(n.cte_name));
  Object.values(n).forEach(x => collectCteNames(x, out));
}

const DUCK_QUERY_NODES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE', 'CTE_NODE']);

/** A query node: SELECT blocks get their own scope; set operations hold several. */
function duckQuery(node: DuckDbNode, parent: Scope, refs: References): void {
  const cte = (node.cte_map as DuckDbNode | undefined)?.map as { value?: { query?: { node?: DuckDbNode } } }[] | undefined;
  for (const e of cte ?? []) if (e.value?.query?.node) duckQuery(e.value.query.node, parent, refs);
  if (node.type !== 'SELECT_NODE') {
    for (const [k, v] of Object.entries(node)) if (k !== 'cte_map') duckExpr(v, parent, refs);
    return;
  }
  const scope = newScope(parent);
  if (node.from_table) duckFrom(node.from_table as DuckDbNode, scope, refs);
  for (const item of (node.select_list as DuckDbNode[] | undefined) ?? []) if (typeof item.alias === 'string' && item.alias) refs.aliases.add(lower(item.alias));
  for (const [k, v] of Object.entries(node)) if (k !== 'from_table' && k !== 'cte_map') duckExpr(v, scope, refs);
}

function duckFrom(t: DuckDbNode, scope: Scope, refs: References): void {
  const alias = typeof t.alias === 'string' && t.alias ? t.alias : undefined;
  switch (t.type) {
    case 'BASE_TABLE': {
      const parts = [t.catalog_name, t.schema_name, t.table_name].map(x => (typeof x === 'string' ? x : '')).filter(Boolean);
      const isCte = parts.length === 1 && refs.cteNames.has(lower(parts[0]));
      scope.relations.push(isCte ? { alias: alias ?? parts[0], derived: true } : { alias, parts });
      return;
    }
    case 'JOIN':
      duckFrom(t.left as DuckDbNode, scope, refs);
      duckFrom(t.right as DuckDbNode, scope, refs);
      duckExpr(t.condition, scope, refs);
      return;
    case 'SUBQUERY':
      scope.relations.push({ alias, derived: true });
      duckExpr(t.subquery, scope, refs);
      return;
    case 'EMPTY':
      return;
    default:
      // table functions, VALUES lists, PIVOT, SHOW_REF: their columns are not catalog columns
      scope.relations.push({ alias, derived: true });
      for (const [k, v] of Object.entries(t)) if (k !== 'type' && k !== 'alias') duckExpr(v, scope, refs);
  }
}

function duckExpr(v: unknown, scope: Scope, refs: References): void {
  if (Array.isArray(v)) { v.forEach(x => duckExpr(x, scope, refs)); return; }
  if (!v || typeof v !== 'object') return;
  const n = v as DuckDbNode;
  if (typeof n.type === 'string' && DUCK_QUERY_NODES.has(n.type)) { duckQuery(n, scope, refs); return; }
  if (n.type === 'COLUMN_REF' && Array.isArray(n.column_names)) { scope.columns.push(n.column_names.map(String)); return; }
  if (n.type === 'LAMBDA') {
    lambdaParams(n.lhs, refs.aliases);
    duckExpr(n.expr, scope, refs);
    return;
  }
  for (const x of Object.values(n)) duckExpr(x, scope, refs);
}

function lambdaParams(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) { v.forEach(x => lambdaParams(x, out)); return; }
  if (!v || typeof v !== 'object') return;
  const n = v as DuckDbNode;
  if (n.type === 'COLUMN_REF' && Array.isArray(n.column_names)) { n.column_names.forEach(c => out.add(lower(String(c)))); return; }
  Object.values(n).forEach(x => lambdaParams(x, out));
}

// ---------------------------------------------------------------- Snowflake (node-sql-parser AST)

type SfNode = { [key: string]: unknown };
let sfParser: Parser | undefined;

function snowflakeReferences(statement: string): References | undefined {
  sfParser ??= new Parser();
  let ast: unknown;
  try {
    ast = sfParser.astify(statement, { database: 'snowflake' });
  } catch {
    return snowflakeTokenReferences(statement);
  }
  const list = Array.isArray(ast) ? ast : [ast];
  if (list.length !== 1) return undefined;
  const refs: References = { root: newScope(), cteNames: new Set(), aliases: new Set(), columnsRead: true };
  sfCollectCtes(list[0], refs.cteNames);
  sfExpr(list[0], refs.root, refs);
  return refs;
}

function sfCollectCtes(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) { v.forEach(x => sfCollectCtes(x, out)); return; }
  if (!v || typeof v !== 'object') return;
  const n = v as SfNode;
  if (Array.isArray(n.with)) for (const w of n.with as { name?: { value?: string } }[]) if (w.name?.value) out.add(lower(w.name.value));
  Object.values(n).forEach(x => sfCollectCtes(x, out));
}

function sfSelect(n: SfNode, parent: Scope, refs: References): void {
  for (const w of (n.with as { stmt?: { ast?: SfNode } }[] | null) ?? []) if (w.stmt?.ast) sfExpr(w.stmt.ast, parent, refs);
  const scope = newScope(parent);
  for (const f of (n.from as SfNode[] | null) ?? []) sfFrom(f, scope, refs);
  for (const c of (n.columns as SfNode[] | null) ?? []) if (typeof c.as === 'string' && c.as) refs.aliases.add(lower(c.as));
  for (const [k, v] of Object.entries(n)) if (!['with', 'from', '_next'].includes(k)) sfExpr(v, scope, refs);
  if (n._next) sfExpr(n._next, parent, refs);
}

function sfFrom(f: SfNode, scope: Scope, refs: References): void {
  const alias = typeof f.as === 'string' && f.as ? f.as : undefined;
  if (typeof f.table === 'string') {
    // node-sql-parser puts the schema in `db` for two-part names and catalog/schema for three-part names.
    const parts = typeof f.schema === 'string' && f.schema ? [String(f.catalog ?? f.db ?? ''), f.schema, f.table] : [String(f.db ?? ''), f.table];
    const clean = parts.filter(p => p && p !== 'null');
    const isCte = clean.length === 1 && refs.cteNames.has(lower(clean[0]));
    scope.relations.push(isCte ? { alias: alias ?? clean[0], derived: true } : { alias, parts: clean });
  } else {
    scope.relations.push({ alias, derived: true });
  }
  for (const [k, v] of Object.entries(f)) if (!['table', 'db', 'schema', 'catalog', 'as'].includes(k)) sfExpr(v, scope, refs);
}

function sfExpr(v: unknown, scope: Scope, refs: References): void {
  if (Array.isArray(v)) { v.forEach(x => sfExpr(x, scope, refs)); return; }
  if (!v || typeof v !== 'object') return;
  const n = v as SfNode;
  if (n.type === 'select') { sfSelect(n, scope, refs); return; }
  if (n.ast && typeof n.ast === 'object') { sfExpr(n.ast, scope, refs); return; }
  if (n.type === 'column_ref') { const parts = sfColumnParts(n); if (parts) scope.columns.push(parts); return; }
  // node-sql-parser reads "Quoted" identifiers in expressions as double-quoted strings; Snowflake reads them as names.
  if (n.type === 'double_quote_string' && typeof n.value === 'string') { scope.columns.push([n.value]); return; }
  for (const x of Object.values(n)) sfExpr(x, scope, refs);
}

/** [table?, column] up to the first `:` (a semi-structured path `v:a.b` refers to column v). */
function sfColumnParts(n: SfNode): string[] | undefined {
  const raw = [n.schema, n.table, n.column].map(x => (typeof x === 'string' ? x : x && typeof x === 'object' ? String((x as SfNode).expr && ((x as SfNode).expr as SfNode).value) : ''));
  const parts = raw.filter(p => p && p !== 'undefined');
  if (!parts.length || parts[parts.length - 1] === '*') return undefined;
  const notations = Array.isArray(n.notations) ? (n.notations as string[]) : [];
  const colon = notations.indexOf(':');
  return colon >= 0 ? parts.slice(0, colon + 1) : parts;
}

// ---------------------------------------------------------------- Snowflake fallback: tables by tokens

/** Tables named right after FROM/JOIN (dotted names); CTE names (`name AS (`) are derived. Columns unread. */
function snowflakeTokenReferences(statement: string): References | undefined {
  const { tokens, error } = tokenize(statement, 'snowflake');
  if (error) return undefined;
  const t = significant(tokens);
  const refs: References = { root: newScope(), cteNames: new Set(), aliases: new Set(), columnsRead: false };
  t.forEach((tok, i) => {
    if (isName(tok) && t[i + 1]?.upper === 'AS' && t[i + 2]?.text === '(') refs.cteNames.add(lower(nameText(tok)));
  });
  for (let i = 0; i < t.length; i++) {
    if (t[i].upper !== 'FROM' && t[i].upper !== 'JOIN') continue;
    const parts: string[] = [];
    let j = i + 1;
    while (isName(t[j]) && !['TABLE', 'LATERAL', 'SELECT'].includes(t[j].upper ?? '')) {
      parts.push(nameText(t[j]));
      if (t[j + 1]?.text !== '.') break;
      j += 2;
    }
    if (!parts.length || t[j + 1]?.text === '(') continue;
    const isCte = parts.length === 1 && refs.cteNames.has(lower(parts[0]));
    refs.root.relations.push(isCte ? { alias: parts[0], derived: true } : { parts });
  }
  return refs;
}

function isName(t: Token | undefined): t is Token {
  return !!t && (t.kind === 'word' || t.kind === 'quoted');
}

function nameText(t: Token): string {
  return t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text;
}
