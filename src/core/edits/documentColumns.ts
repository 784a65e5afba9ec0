// The output columns of a dbt SQL model, read from its final SELECT: aliases, bare and qualified column names, and
// `*` expanded through CTEs, subqueries and ref()/source() (whose columns the caller supplies). Jinja is blanked
// first (same offsets), so `{{ ref('x') }}` in a FROM clause is looked up at its offset in the raw code.
import type { RefCall, SourceCall } from '../types';
import { refFromArgs, sourceFromArgs } from '../dbt/calls';
import { findCalls, scanJinja, type JinjaScan } from '../dbt/jinja';
import { significant, tokenize, type Token } from '../sql/tokenize';

export interface OutputColumns {
  /** Column names in output order. */
  names: string[];
  /** False when some output could not be named (a `*` over an unknown relation, an expression without alias, Jinja loops). */
  complete: boolean;
  /** What could not be read, for the explanation. */
  gaps: string[];
}

/** Columns of what a ref()/source() points at; undefined when unknown. */
export type UpstreamColumns = (call: { ref?: RefCall; source?: SourceCall }) => string[] | undefined;

type Range = [number, number];
/** What a FROM item reads: a query's tokens (CTE body, subquery), known columns, or unknown. */
type Rel = { range: Range } | { cols: string[] } | { jinja: number } | undefined;

const CLAUSE_END = new Set(['WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'UNION', 'EXCEPT', 'INTERSECT']);
const JOIN_WORDS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'OUTER', 'NATURAL', 'LATERAL', 'ASOF', 'POSITIONAL', 'SEMI', 'ANTI', 'ANY']);
const NOT_ALIAS = new Set([...CLAUSE_END, ...JOIN_WORDS, 'ON', 'USING', 'FROM', 'AS', 'SELECT', 'END', 'AND', 'OR', 'NOT', 'NULL', 'TRUE', 'FALSE',
  'IS', 'IN', 'LIKE', 'ILIKE', 'BETWEEN', 'THEN', 'ELSE', 'WHEN', 'CASE', 'DESC', 'ASC', 'PIVOT', 'UNPIVOT', 'TABLESAMPLE', 'SAMPLE']);
const PLACEHOLDER = '_j_';

type Scope = Map<string, { range: Range; scope: Map<string, unknown> }>;

class Reader {
  readonly gaps: string[] = [];
  /** Scopes of CTE bodies, by their start token, so a CTE reads the CTEs declared before it. */
  private readonly cteScopes = new Map<string, Scope>();
  private depth = 0;

  constructor(private readonly toks: Token[], private readonly scan: JinjaScan, private readonly upstream: UpstreamColumns) {}

  private up(i: number): string | undefined {
    const t = this.toks[i];
    return t?.kind === 'word' ? t.upper : undefined;
  }

  private isPunct(i: number, p: string): boolean {
    const t = this.toks[i];
    return t?.kind === 'punct' && t.text === p;
  }

  /** Index of the ')' matching the '(' at `open`, or -1. */
  private close(open: number, end: number): number {
    let d = 0;
    for (let k = open; k < end; k++) {
      if (this.isPunct(k, '(')) d++;
      else if (this.isPunct(k, ')') && --d === 0) return k;
    }
    return -1;
  }

  /** Indexes in [s, e) at parenthesis depth 0 that satisfy `pred`. */
  private topLevel(s: number, e: number, pred: (i: number) => boolean): number[] {
    const out: number[] = [];
    let d = 0;
    for (let k = s; k < e; k++) {
      if (this.isPunct(k, '(')) d++;
      else if (this.isPunct(k, ')')) d--;
      else if (d === 0 && pred(k)) out.push(k);
    }
    return out;
  }

  /** Output columns of the query in [s, e), with CTEs visible from `scope`. */
  query(r: Range, scope: Scope): string[] | undefined {
    if (++this.depth > 40) { this.gaps.push('queries nested too deeply'); return undefined; }
    try {
      let [s, e] = r;
      // `{{ config(...) }}` and other Jinja before the query are placeholders: skip them.
      while (this.toks[s]?.text === PLACEHOLDER) s++;
      while (this.isPunct(s, '(') && this.close(s, e) === e - 1) { s++; e--; }
      const inner = new Map(scope);
      if (this.up(s) === 'WITH') s = this.ctes(s + 1, e, inner);
      const select = this.topLevel(s, e, k => this.up(k) === 'SELECT')[0];
      if (select === undefined) { this.gaps.push('no SELECT found'); return undefined; }
      const stop = this.topLevel(select + 1, e, k => CLAUSE_END.has(this.up(k) ?? '') || this.up(k) === 'FROM' || this.isPunct(k, ';'))[0] ?? e;
      const from = this.up(stop) === 'FROM' ? this.fromClause(stop + 1, e, inner) : new Map<string, Rel>();
      return this.selectList(this.skipQuantifier(select + 1, stop), stop, from);
    } finally {
      this.depth--;
    }
  }

  /** Reads `name [(cols)] as [not] [materialized] (query), ...` into `scope`; returns where the main query starts. */
  private ctes(k: number, e: number, scope: Scope): number {
    if (this.up(k) === 'RECURSIVE') k++;
    for (;;) {
      const name = this.toks[k];
      if (!name || (name.kind !== 'word' && name.kind !== 'quoted')) return k;
      k++;
      if (this.isPunct(k, '(')) k = this.close(k, e) + 1;
      if (this.up(k) !== 'AS') return k;
      k++;
      if (this.up(k) === 'NOT') k++;
      if (this.up(k) === 'MATERIALIZED') k++;
      if (!this.isPunct(k, '(')) return k;
      const c = this.close(k, e);
      if (c < 0) return k;
      scope.set(ident(name).toLowerCase(), { range: [k + 1, c], scope: new Map(scope) });
      k = c + 1;
      if (!this.isPunct(k, ',')) return k;
      k++;
    }
  }

  private skipQuantifier(k: number, stop: number): number {
    if (this.up(k) === 'ALL') return k + 1;
    if (this.up(k) === 'DISTINCT') {
      if (this.up(k + 1) === 'ON' && this.isPunct(k + 2, '(')) return this.close(k + 2, stop) + 1;
      return k + 1;
    }
    if (this.up(k) === 'TOP') return k + 2;
    return k;
  }

  /** Aliases of the FROM clause → what they read: a token range (CTE or subquery body), known columns, or unknown. */
  private fromClause(s: number, e: number, scope: Scope): Map<string, Rel> {
    const end = this.topLevel(s, e, k => CLAUSE_END.has(this.up(k) ?? '') || this.isPunct(k, ';'))[0] ?? e;
    const rels = new Map<string, Rel>();
    let k = s;
    while (k < end) {
      while (k < end && (JOIN_WORDS.has(this.up(k) ?? '') || this.isPunct(k, ','))) k++;
      if (k >= end) break;
      const { name, target, next } = this.relation(k, end, scope);
      if (name) rels.set(name.toLowerCase(), target);
      // Skip the join condition up to the next relation.
      k = next;
      while (k < end && !JOIN_WORDS.has(this.up(k) ?? '') && !this.isPunct(k, ',')) {
        if (this.isPunct(k, '(')) k = Math.max(k + 1, this.close(k, end) + 1);
        else k++;
      }
    }
    return rels;
  }

  private relation(k: number, end: number, scope: Scope): { name?: string; target: Rel; next: number } {
    let target: Rel;
    let name: string | undefined;
    const t = this.toks[k];
    if (this.isPunct(k, '(')) {
      const c = this.close(k, end);
      target = c > k ? { range: [k + 1, c] } : undefined;
      k = c > k ? c + 1 : end;
    } else if (t && t.kind === 'word' && t.text === PLACEHOLDER) {
      target = { jinja: t.start }; // looked up only if a `*` needs its columns
      k++;
    } else if (t && (t.kind === 'word' || t.kind === 'quoted')) {
      const parts = [ident(t)];
      k++;
      while (this.isPunct(k, '.') && this.toks[k + 1]) { parts.push(ident(this.toks[k + 1])); k += 2; }
      if (this.isPunct(k, '(')) { k = this.close(k, end) + 1; target = undefined; } // table function
      else {
        const cte = parts.length === 1 ? scope.get(parts[0].toLowerCase()) : undefined;
        target = cte ? { range: cte.range } : undefined;
        if (cte) this.cteScopes.set(`${cte.range[0]}`, cte.scope as Scope);
      }
      name = parts[parts.length - 1];
    } else {
      return { target: undefined, next: k + 1 };
    }
    if (this.up(k) === 'AS') k++;
    const a = this.toks[k];
    if (a && (a.kind === 'quoted' || (a.kind === 'word' && !NOT_ALIAS.has(a.upper!) && a.text !== PLACEHOLDER))) { name = ident(a); k++; }
    return { name, target, next: k };
  }

  private jinjaRelation(offset: number): Rel {
    const tag = this.scan.tags.find(t => t.start === offset);
    const call = tag ? findCalls(tag.body)[0] : undefined;
    if (!call || (call.name !== 'ref' && call.name !== 'source')) {
      this.gaps.push('a relation written as Jinja other than ref()/source()');
      return undefined;
    }
    const dep = call.name === 'ref' ? { ref: refFromArgs(call.args) } : { source: sourceFromArgs(call.args) };
    const cols = dep.ref || dep.source ? this.upstream(dep) : undefined;
    if (!cols) this.gaps.push(`the columns of ${tag!.body.trim()} are unknown`);
    return cols ? { cols } : undefined;
  }

  private columnsOf(target: Rel): string[] | undefined {
    if (target === undefined) return undefined;
    if ('cols' in target) return target.cols;
    if ('jinja' in target) {
      const r = this.jinjaRelation(target.jinja);
      return r && 'cols' in r ? r.cols : undefined;
    }
    return this.query(target.range, this.cteScopes.get(`${target.range[0]}`) ?? new Map());
  }

  private selectList(s: number, e: number, from: Map<string, Rel>): string[] {
    const commas = this.topLevel(s, e, k => this.isPunct(k, ','));
    const bounds = [s, ...commas.map(c => c + 1)];
    const out: string[] = [];
    bounds.forEach((b, i) => {
      const itemEnd = i < commas.length ? commas[i] : e;
      out.push(...this.item(b, itemEnd, from));
    });
    return out;
  }

  /** The names one select item produces. */
  private item(s: number, e: number, from: Map<string, Rel>): string[] {
    if (s >= e) return [];
    const toks = this.toks.slice(s, e);
    const star = toks.findIndex(t => t.kind === 'punct' && t.text === '*');
    if (star === 0 || (star === 2 && this.isPunct(s + 1, '.'))) {
      const excluded = this.excluded(s + star + 1, e);
      const rels = star === 0 ? [...from.values()] : [from.get(ident(toks[0]).toLowerCase())];
      const names: string[] = [];
      for (const rel of rels) {
        const cols = this.columnsOf(rel);
        if (!cols) { this.gaps.push(`\`${toks.map(t => t.text).join('')}\` reads a relation whose columns are unknown`); continue; }
        names.push(...cols.filter(c => !excluded.has(c.toLowerCase())));
      }
      return names;
    }
    const last = toks[toks.length - 1];
    const prev = toks[toks.length - 2];
    if (last.text === PLACEHOLDER || toks.some(t => t.text === PLACEHOLDER) && toks.length === 1) {
      this.gaps.push('a column named by Jinja');
      return [];
    }
    if (prev && prev.kind === 'word' && prev.upper === 'AS') return [ident(last)];
    if (toks.length === 1 && (last.kind === 'word' || last.kind === 'quoted')) return [ident(last)];
    // a.b or a.b.c
    if (toks.length >= 3 && toks.every((t, i) => (i % 2 ? t.kind === 'punct' && t.text === '.' : t.kind === 'word' || t.kind === 'quoted'))) return [ident(last)];
    // x::type keeps x's name
    const cast = toks.findIndex(t => t.kind === 'punct' && t.text === '::');
    if (cast > 0 && this.item(s, s + cast, from).length === 1 && !toks.slice(cast).some(t => t.kind === 'word' && t.upper === 'AS')) return this.item(s, s + cast, from);
    // expression alias (no AS)
    if ((last.kind === 'word' || last.kind === 'quoted') && last.text !== PLACEHOLDER && !NOT_ALIAS.has(last.upper ?? '') && prev && !(prev.kind === 'punct' && /^(\.|::|[-+*/%|=<>!]+)$/.test(prev.text))) return [ident(last)];
    this.gaps.push(`\`${toks.map(t => t.text).join(' ').slice(0, 60)}\` has no alias`);
    return [];
  }

  /** Names after `EXCLUDE (a, b)` / `EXCEPT (a)` following a star. */
  private excluded(k: number, e: number): Set<string> {
    const out = new Set<string>();
    if ((this.up(k) === 'EXCLUDE' || this.up(k) === 'EXCEPT') && k + 1 < e) {
      if (this.isPunct(k + 1, '(')) {
        const c = this.close(k + 1, e);
        for (let j = k + 2; j < c; j++) if (this.toks[j].kind === 'word' || this.toks[j].kind === 'quoted') out.add(ident(this.toks[j]).toLowerCase());
      } else if (this.toks[k + 1]) out.add(ident(this.toks[k + 1]).toLowerCase());
    }
    return out;
  }
}

function ident(t: Token): string {
  return t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text;
}

/** Output columns of a SQL model or snapshot (raw code with Jinja). */
export function sqlOutputColumns(rawCode: string, upstream: UpstreamColumns): OutputColumns {
  const scan = scanJinja(rawCode);
  const tk = tokenize(scan.sql, 'duckdb');
  if (tk.error) return { names: [], complete: false, gaps: [`the SQL cannot be read: ${tk.error}`] };
  const toks = significant(tk.tokens);
  const reader = new Reader(toks, scan, upstream);
  // The model's query is its last statement (hooks and `set` blocks are Jinja, already blanked).
  let start = 0;
  toks.forEach((t, i) => { if (t.kind === 'punct' && t.text === ';' && i < toks.length - 1) start = i + 1; });
  const names = reader.query([start, toks.length], new Map()) ?? [];
  const gaps = [...reader.gaps];
  if (scan.tags.some(t => t.keyword === 'for')) gaps.push('a Jinja loop may generate columns');
  const seen = new Set<string>();
  const unique = names.filter(n => (seen.has(n.toLowerCase()) ? false : (seen.add(n.toLowerCase()), true)));
  return { names: unique, complete: gaps.length === 0 && unique.length > 0, gaps };
}
