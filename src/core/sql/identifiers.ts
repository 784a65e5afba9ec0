// Checks the tables and columns a statement names against the warehouse catalog before it runs, so a model's
// hallucinated names are caught with close matches to retry with. CTE names, aliases, subquery and table
// function outputs and lambda parameters are not catalog objects and are never reported; where a column could
// come from a derived relation it is not judged (no false alarms: DuckDB/Snowflake still have the last word).
import type { WarehouseCatalog, WarehouseTable } from '../types';
import { readReferences, type RelationRef, type Scope } from './references';
import type { SqlDialect } from './tokenize';

export interface UnknownIdentifier {
  kind: 'table' | 'column';
  /** As written in the statement (`marts.fct_order`, `o.revenue`). */
  name: string;
  /** For columns: the tables it was looked up in (schema.name). */
  tables?: string[];
  /** Existing names that are close, best first: `schema.table` for tables, `column` or `table.column` for columns. */
  suggestions: string[];
}

export interface IdentifierCheck {
  unknown: UnknownIdentifier[];
  /** False when only tables could be checked (the parser could not read the statement's columns). */
  columnsChecked: boolean;
  /** For the model or the user: what is unknown and what exists instead; '' when everything is known. */
  message: string;
}

export interface IdentifierOptions {
  /** Schema unqualified table names resolve in (DuckDB default 'main'; Snowflake: the connection's schema, else any). */
  defaultSchema?: string;
  /** Database unqualified and schema-qualified names resolve in (default: any). */
  defaultDatabase?: string;
}

const lower = (s: string) => s.toLowerCase();
const qualified = (t: WarehouseTable) => `${t.schema}.${t.name}`;

/** Unknown tables and columns of `statement` against `catalog`, with close-match suggestions. */
export async function checkIdentifiers(statement: string, catalog: WarehouseCatalog, dialect: SqlDialect, opts: IdentifierOptions = {}): Promise<IdentifierCheck> {
  const refs = await readReferences(statement, dialect);
  if (!refs) return { unknown: [], columnsChecked: false, message: '' };
  const resolver = new Resolver(catalog, { defaultSchema: opts.defaultSchema ?? (dialect === 'duckdb' ? 'main' : undefined), defaultDatabase: opts.defaultDatabase });
  const unknown: UnknownIdentifier[] = [];
  const seen = new Set<string>();
  const add = (u: UnknownIdentifier) => {
    const key = `${u.kind}:${lower(u.name)}`;
    if (!seen.has(key)) { seen.add(key); unknown.push(u); }
  };
  const resolved = new Map<RelationRef, WarehouseTable | undefined>();
  visit(refs.root, scope => {
    for (const r of scope.relations) {
      if (!r.parts) continue;
      const t = resolver.table(r.parts);
      resolved.set(r, t);
      if (!t) add({ kind: 'table', name: r.parts.join('.'), suggestions: resolver.suggestTables(r.parts) });
    }
  });
  if (refs.columnsRead) {
    visit(refs.root, scope => {
      for (const col of scope.columns) {
        const u = checkColumn(col, scope, resolved, refs.aliases, resolver);
        if (u) add(u);
      }
    });
  }
  return { unknown, columnsChecked: refs.columnsRead, message: describe(unknown) };
}

function visit(scope: Scope, fn: (s: Scope) => void): void {
  fn(scope);
  scope.children.forEach(c => visit(c, fn));
}

/** Relations visible from a scope: its own, then its enclosing blocks' (correlated subqueries). */
function visible(scope: Scope): RelationRef[] {
  const out: RelationRef[] = [];
  for (let s: Scope | undefined = scope; s; s = s.parent) out.push(...s.relations);
  return out;
}

function checkColumn(parts: string[], scope: Scope, resolved: Map<RelationRef, WarehouseTable | undefined>, aliases: Set<string>, resolver: Resolver): UnknownIdentifier | undefined {
  const rels = visible(scope);
  const tables = rels.map(r => resolved.get(r)).filter((t): t is WarehouseTable => !!t);
  const hasColumn = (t: WarehouseTable, c: string) => t.columns.some(x => lower(x.name) === lower(c));
  if (parts.length === 1) {
    const [c] = parts;
    if (aliases.has(lower(c))) return undefined;
    // Unjudgeable when nothing is in scope or something in scope has columns the catalog does not list.
    if (!rels.length || rels.some(r => !r.parts || !resolved.get(r))) return undefined;
    if (tables.some(t => hasColumn(t, c))) return undefined;
    return { kind: 'column', name: c, tables: tables.map(qualified), suggestions: resolver.suggestColumns(c, tables) };
  }
  // q.col, schema.table.col, db.schema.table.col: find the relation the qualifier names.
  for (let k = Math.min(parts.length - 1, 3); k >= 1; k--) {
    const qualifier = parts.slice(0, k);
    const rel = rels.find(r => namesRelation(r, qualifier, resolved.get(r)));
    if (!rel) continue;
    const t = resolved.get(rel);
    if (!t) return undefined; // derived or unknown table: reported (or not judgeable) elsewhere
    const c = parts[k];
    if (hasColumn(t, c)) return undefined;
    return { kind: 'column', name: parts.slice(0, k + 1).join('.'), tables: [qualified(t)], suggestions: resolver.suggestColumns(c, [t]) };
  }
  // `s.field` may be a struct field of column s, or an alias of a derived relation: not judged.
  return undefined;
}

function namesRelation(r: RelationRef, qualifier: string[], t: WarehouseTable | undefined): boolean {
  const q = qualifier.map(lower);
  if (r.alias) return q.length === 1 && q[0] === lower(r.alias);
  if (!t) return false;
  const full = [t.database, t.schema, t.name].map(lower);
  return full.slice(3 - q.length).every((p, i) => p === q[i]);
}

class Resolver {
  private readonly byName = new Map<string, WarehouseTable[]>();

  constructor(private readonly catalog: WarehouseCatalog, private readonly opts: IdentifierOptions) {
    for (const t of catalog.tables) {
      const k = lower(t.name);
      this.byName.set(k, [...(this.byName.get(k) ?? []), t]);
    }
  }

  /** The table `parts` ([db?, schema?, name]) names, the way DuckDB/Snowflake resolve it, or undefined. */
  table(parts: string[]): WarehouseTable | undefined {
    const [name, schema, db] = [...parts].reverse().map(lower);
    const candidates = this.byName.get(name) ?? [];
    const inDb = (t: WarehouseTable, d?: string) => !d || lower(t.database) === d;
    const defaultDb = this.opts.defaultDatabase && lower(this.opts.defaultDatabase);
    if (parts.length >= 3) return candidates.find(t => lower(t.schema) === schema && inDb(t, db));
    if (parts.length === 2) {
      // `x.name`: schema x, or (DuckDB) database x with its default schema
      return candidates.find(t => lower(t.schema) === schema && inDb(t, defaultDb))
        ?? candidates.find(t => lower(t.database) === schema && lower(t.schema) === lower(this.opts.defaultSchema ?? 'main'));
    }
    const ds = this.opts.defaultSchema && lower(this.opts.defaultSchema);
    return candidates.find(t => (!ds || lower(t.schema) === ds) && inDb(t, defaultDb));
  }

  suggestTables(parts: string[]): string[] {
    const name = parts[parts.length - 1];
    return closest(name, this.catalog.tables, t => t.name, qualified, 3);
  }

  /** Close columns of the tables in scope; failing those, close columns anywhere as `table.column`. */
  suggestColumns(column: string, tables: WarehouseTable[]): string[] {
    const local = closest(column, tables.flatMap(t => t.columns.map(c => ({ t, c }))), x => x.c.name, x => tables.length > 1 ? `${x.t.name}.${x.c.name}` : x.c.name, 3);
    if (local.length) return local;
    return closest(column, this.catalog.tables.flatMap(t => t.columns.map(c => ({ t, c }))), x => x.c.name, x => `${qualified(x.t)}.${x.c.name}`, 3);
  }
}

/** Items whose name is close to `target` (edit distance and shared words), best first, deduplicated. */
function closest<T>(target: string, items: T[], name: (x: T) => string, label: (x: T) => string, k: number): string[] {
  const scored = items.map(x => ({ label: label(x), score: similarity(target, name(x)) })).filter(x => x.score >= 0.45);
  scored.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label));
  return [...new Set(scored.map(x => x.label))].slice(0, k);
}

export function similarity(a: string, b: string): number {
  const x = lower(a);
  const y = lower(b);
  if (x === y) return 1;
  const edit = 1 - levenshtein(x, y) / Math.max(x.length, y.length);
  const wx = new Set(x.split(/[_\s.]+/).filter(Boolean));
  const wy = new Set(y.split(/[_\s.]+/).filter(Boolean));
  const shared = [...wx].filter(w => wy.has(w)).length;
  const words = shared / Math.max(1, new Set([...wx, ...wy]).size);
  const contains = x.length >= 3 && y.length >= 3 && (x.includes(y) || y.includes(x)) ? 0.6 : 0;
  const abbreviation = isAbbreviation(x, y) || isAbbreviation(y, x) ? 0.6 : 0;
  return Math.max(edit, words, contains, abbreviation);
}

/** `qty` ~ `quantity`, `amt` ~ `amount`: same first letter, every letter of the short one in order in the long one. */
function isAbbreviation(short: string, long: string): boolean {
  if (short.length < 2 || short.length >= long.length || short[0] !== long[0]) return false;
  let j = 0;
  for (const ch of long) if (ch === short[j]) j++;
  return j === short.length;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function describe(unknown: UnknownIdentifier[]): string {
  if (!unknown.length) return '';
  const lines = unknown.map(u => {
    const where = u.kind === 'column' && u.tables?.length ? ` in ${u.tables.join(', ')}` : '';
    const hint = u.suggestions.length ? `; did you mean ${u.suggestions.map(s => `\`${s}\``).join(', ')}?` : '';
    return `- unknown ${u.kind} \`${u.name}\`${where}${hint}`;
  });
  return `The statement names ${unknown.length === 1 ? 'something' : 'things'} the warehouse does not have:\n${lines.join('\n')}\nUse only tables and columns from the catalog (describe_table shows a table's exact columns).`;
}
