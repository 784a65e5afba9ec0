// A light structural reading of a dbt model's SQL, enough for refactors and reviews: the CTEs, every SELECT block
// with its select items and FROM/JOIN relations, and which relation each `{{ ref() }}` / `{{ source() }}` is.
// It reads the Jinja-blanked text (same offsets as the file), so every token maps back to the original text.
// Not a SQL parser: anything it cannot place is reported as unknown, and callers stay conservative.
import type { RefCall, SourceCall } from '../types';
import { findCalls, scanJinja, type JinjaScan, type JinjaTag } from '../dbt/jinja';
import { refFromArgs, sourceFromArgs } from '../dbt/calls';
import { tokenize, type Token } from '../sql/tokenize';

export interface SqlTok extends Token {
  /** Parenthesis depth: '(' and ')' carry the depth outside them. */
  depth: number;
}

export type RelationKind = 'ref' | 'source' | 'this' | 'cte' | 'table' | 'subquery' | 'function' | 'jinja';

export interface Relation {
  kind: RelationKind;
  /** As written: `orders`, `raw.orders`, `{{ ref('x') }}`. */
  text: string;
  /** Unquoted name parts of a hard-coded table (`db.schema.table` → 3 parts) or the CTE name. */
  parts: string[];
  ref?: RefCall;
  source?: SourceCall;
  tag?: JinjaTag;
  alias?: string;
  /** Token range of the relation's name (or subquery parentheses), inclusive. */
  firstTok: number;
  lastTok: number;
  aliasTok?: number;
  /** Offsets of the name in the text. */
  start: number;
  end: number;
  /** For a subquery: its first SELECT block. */
  block?: QueryBlock;
}

export interface SelectItem {
  /** Token range [from, to). */
  from: number;
  to: number;
  /** Token index of the output alias (`x as a`, `x a`). */
  aliasTok?: number;
  /** `*` or `q.*` (DuckDB/Snowflake EXCLUDE/REPLACE/RENAME modifiers allowed). */
  star?: { qualifier?: string };
}

export interface QueryBlock {
  /** Token index of SELECT. */
  select: number;
  /** Token index just past the block. */
  end: number;
  depth: number;
  items: SelectItem[];
  /** Token index of FROM (at the block's depth), when there is one. */
  fromTok?: number;
  fromEnd?: number;
  relations: Relation[];
  cte?: string;
  final: boolean;
  parent?: QueryBlock;
}

export interface Cte {
  name: string;
  nameTok: number;
  open: number;
  close: number;
  blocks: QueryBlock[];
}

export interface SqlModel {
  text: string;
  scan: JinjaScan;
  toks: SqlTok[];
  ctes: Cte[];
  blocks: QueryBlock[];
  /** SELECT blocks of the statement itself (several for a UNION); the first one names the output columns. */
  finals: QueryBlock[];
  error?: string;
}

const CLAUSE_END = new Set(['WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'UNION', 'INTERSECT', 'EXCEPT', 'MINUS']);
const SET_OPS = new Set(['UNION', 'INTERSECT', 'EXCEPT', 'MINUS']);
const JOIN_WORDS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'CROSS', 'NATURAL', 'LATERAL', 'ASOF', 'POSITIONAL', 'ANTI', 'SEMI']);
const NOT_ALIAS = new Set([...CLAUSE_END, ...JOIN_WORDS, 'ON', 'USING', 'AS', 'PIVOT', 'UNPIVOT', 'TABLESAMPLE', 'SAMPLE', 'AT', 'BEFORE',
  'CHANGES', 'MATCH_RECOGNIZE', 'FROM', 'SELECT', 'WITH', 'AND', 'OR', 'NOT', 'IS', 'IN', 'END', 'THEN', 'ELSE', 'WHEN', 'CASE',
  'NULL', 'TRUE', 'FALSE', 'DISTINCT', 'ALL', 'BY', 'ASC', 'DESC', 'OVER', 'FILTER', 'WITHIN', 'LIKE', 'ILIKE', 'BETWEEN']);

export const isWord = (t: SqlTok | undefined, w?: string): boolean => !!t && t.kind === 'word' && (w === undefined || t.upper === w);
export const isPunct = (t: SqlTok | undefined, p: string): boolean => !!t && t.kind === 'punct' && t.text === p;
const isName = (t: SqlTok | undefined): boolean => !!t && (t.kind === 'word' || t.kind === 'quoted');

/** Unquoted identifier text: `"Order Id"` → `Order Id`, `orders` → `orders`. */
export function identText(t: Token): string {
  if (t.kind === 'quoted') return t.text.slice(1, -1).replace(/""/g, '"');
  return t.text;
}

export function readSqlModel(text: string): SqlModel {
  const scan = scanJinja(text);
  const { tokens, error } = tokenize(scan.sql, 'duckdb');
  const toks = withDepth(tokens.filter(t => t.kind !== 'comment'));
  const tagAt = new Map(scan.tags.map(t => [t.start, t]));
  const ctes = readCtes(toks);
  const blocks: QueryBlock[] = [];
  toks.forEach((t, i) => { if (isWord(t, 'SELECT')) blocks.push(readBlock(toks, i, tagAt)); });
  linkBlocks(blocks, ctes);
  const finals = blocks.filter(b => b.depth === 0 && !b.cte);
  const model: SqlModel = { text, scan, toks, ctes, blocks, finals, error };
  for (const b of blocks) for (const r of b.relations) classify(model, r);
  return model;
}

function withDepth(tokens: Token[]): SqlTok[] {
  let depth = 0;
  return tokens.map(t => {
    if (t.kind === 'punct' && t.text === '(') return { ...t, depth: depth++ };
    if (t.kind === 'punct' && t.text === ')') depth = Math.max(0, depth - 1);
    return { ...t, depth };
  });
}

export function matchParen(toks: SqlTok[], open: number): number {
  const d = toks[open].depth;
  for (let k = open + 1; k < toks.length; k++) if (isPunct(toks[k], ')') && toks[k].depth === d) return k;
  return toks.length - 1;
}

function readCtes(toks: SqlTok[]): Cte[] {
  const ctes: Cte[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (!isWord(toks[i], 'WITH')) continue;
    let k = i + 1;
    if (isWord(toks[k], 'RECURSIVE')) k++;
    for (;;) {
      if (!isName(toks[k])) break;
      const nameTok = k++;
      if (isPunct(toks[k], '(')) k = matchParen(toks, k) + 1;
      if (!isWord(toks[k], 'AS')) break;
      k++;
      if (isWord(toks[k], 'NOT')) k++;
      if (isWord(toks[k], 'MATERIALIZED')) k++;
      if (!isPunct(toks[k], '(')) break;
      const close = matchParen(toks, k);
      ctes.push({ name: identText(toks[nameTok]), nameTok, open: k, close, blocks: [] });
      if (!isPunct(toks[close + 1], ',')) break;
      k = close + 2;
    }
  }
  return ctes;
}

function blockEnd(toks: SqlTok[], select: number): number {
  const d = toks[select].depth;
  for (let k = select + 1; k < toks.length; k++) {
    const t = toks[k];
    if (t.depth < d || (isPunct(t, ')') && t.depth <= d - 1)) return k;
    if (t.depth === d && (isPunct(t, ';') || (t.kind === 'word' && SET_OPS.has(t.upper!)))) return k;
  }
  return toks.length;
}

function readBlock(toks: SqlTok[], select: number, tagAt: Map<number, JinjaTag>): QueryBlock {
  const d = toks[select].depth;
  const end = blockEnd(toks, select);
  let fromTok: number | undefined;
  let listEnd = end;
  for (let k = select + 1; k < end; k++) {
    const t = toks[k];
    if (t.depth !== d || t.kind !== 'word') continue;
    if (t.upper === 'FROM') { fromTok = k; listEnd = k; break; }
    if (CLAUSE_END.has(t.upper!)) { listEnd = k; break; }
  }
  const block: QueryBlock = { select, end, depth: d, items: readItems(toks, select + 1, listEnd, d), relations: [], final: false };
  if (fromTok !== undefined) {
    let fromEnd = end;
    for (let k = fromTok + 1; k < end; k++) {
      const t = toks[k];
      if (t.depth === d && t.kind === 'word' && CLAUSE_END.has(t.upper!)) { fromEnd = k; break; }
    }
    block.fromTok = fromTok;
    block.fromEnd = fromEnd;
    block.relations = readRelations(toks, fromTok + 1, fromEnd, d, tagAt);
  }
  return block;
}

function readItems(toks: SqlTok[], from: number, to: number, d: number): SelectItem[] {
  let k = from;
  if (isWord(toks[k], 'DISTINCT') || isWord(toks[k], 'ALL')) {
    k++;
    if (isWord(toks[k], 'ON') && isPunct(toks[k + 1], '(')) k = matchParen(toks, k + 1) + 1;
  }
  if (isWord(toks[k], 'TOP')) k += 2;
  const items: SelectItem[] = [];
  let start = k;
  for (let i = k; i <= to; i++) {
    if (i === to || (isPunct(toks[i], ',') && toks[i].depth === d)) {
      if (i > start) items.push(describeItem(toks, start, i));
      start = i + 1;
    }
  }
  return items;
}

function describeItem(toks: SqlTok[], from: number, to: number): SelectItem {
  const item: SelectItem = { from, to };
  const first = toks[from];
  if (isPunct(first, '*')) item.star = {};
  else if (isName(first) && isPunct(toks[from + 1], '.') && isPunct(toks[from + 2], '*')) item.star = { qualifier: identText(first) };
  if (item.star) return item;
  const last = toks[to - 1];
  if (to - from >= 2 && isName(last)) {
    const prev = toks[to - 2];
    if (isWord(prev, 'AS')) item.aliasTok = to - 1;
    else if (last.kind === 'quoted' || !NOT_ALIAS.has(last.upper!)) {
      const impliesAlias = prev.kind === 'word' ? !NOT_ALIAS.has(prev.upper!) || prev.upper === 'END' || prev.upper === 'NULL'
        : prev.kind === 'quoted' || prev.kind === 'number' || prev.kind === 'string' || isPunct(prev, ')');
      if (impliesAlias && !isPunct(prev, '.') && prev.depth === last.depth) item.aliasTok = to - 1;
    }
  }
  return item;
}

function readRelations(toks: SqlTok[], from: number, to: number, d: number, tagAt: Map<number, JinjaTag>): Relation[] {
  const rels: Relation[] = [];
  let expect = true;
  for (let k = from; k < to;) {
    const t = toks[k];
    if (!expect) {
      if (t.depth === d && (isPunct(t, ',') || isWord(t, 'JOIN'))) expect = true;
      k++;
      continue;
    }
    if (t.kind === 'word' && JOIN_WORDS.has(t.upper!) && t.upper !== 'LATERAL') { k++; continue; }
    if (isWord(t, 'LATERAL')) { k++; continue; }
    let rel: Relation;
    if (isPunct(t, '(')) {
      const close = matchParen(toks, k);
      rel = { kind: 'subquery', text: '', parts: [], firstTok: k, lastTok: close, start: t.start, end: toks[close].end };
      k = close + 1;
    } else if (isName(t)) {
      const first = k;
      const parts = [identText(t)];
      k++;
      while (isPunct(toks[k], '.') && isName(toks[k + 1])) { parts.push(identText(toks[k + 1])); k += 2; }
      let kind: RelationKind = 'table';
      if (isPunct(toks[k], '(')) { kind = 'function'; k = matchParen(toks, k) + 1; }
      const tag = tagAt.get(t.start);
      if (tag) kind = parts.length === 1 ? 'jinja' : 'table';
      rel = { kind, text: '', parts, tag: parts.length === 1 ? tag : undefined, firstTok: first, lastTok: k - 1, start: t.start, end: toks[k - 1].end };
      if (tag && parts.length > 1) rel.parts = [];
    } else { k++; continue; }
    if (isWord(toks[k], 'AS') && isName(toks[k + 1])) { rel.alias = identText(toks[k + 1]); rel.aliasTok = k + 1; k += 2; }
    else if (isName(toks[k]) && (toks[k].kind === 'quoted' || !NOT_ALIAS.has(toks[k].upper!))) { rel.alias = identText(toks[k]); rel.aliasTok = k; k++; }
    if (rel.aliasTok !== undefined && isPunct(toks[k], '(')) k = matchParen(toks, k) + 1; // t(a, b) column aliases
    rels.push(rel);
    expect = false;
  }
  return rels;
}

function linkBlocks(blocks: QueryBlock[], ctes: Cte[]): void {
  for (const b of blocks) {
    const cte = ctes.find(c => b.select > c.open && b.select < c.close && b.depth === cteDepth(c, blocks));
    if (cte) { b.cte = cte.name; cte.blocks.push(b); }
    let parent: QueryBlock | undefined;
    for (const o of blocks) if (o !== b && o.select < b.select && b.select < o.end && (!parent || o.select > parent.select)) parent = o;
    b.parent = parent;
  }
  for (const b of blocks) b.final = b.depth === 0 && !b.cte;
}

function cteDepth(c: Cte, blocks: QueryBlock[]): number {
  const inside = blocks.filter(b => b.select > c.open && b.select < c.close);
  return inside.length ? Math.min(...inside.map(b => b.depth)) : -1;
}

function classify(model: SqlModel, r: Relation): void {
  const text = model.text;
  r.text = text.slice(r.start, r.end);
  if (r.kind === 'subquery') {
    r.block = model.blocks.find(b => b.select > r.firstTok && b.select < r.lastTok && b.depth === model.toks[r.firstTok].depth + 1);
    return;
  }
  if (r.kind === 'jinja' && r.tag) {
    r.text = text.slice(r.tag.start, r.tag.end);
    const body = r.tag.body.trim();
    if (body === 'this') { r.kind = 'this'; return; }
    const call = findCalls(body)[0];
    if (call && call.offset === 0) {
      if (call.name === 'ref') { const ref = refFromArgs(call.args); if (ref) { r.kind = 'ref'; r.ref = ref; } }
      else if (call.name === 'source') { const src = sourceFromArgs(call.args); if (src) { r.kind = 'source'; r.source = src; } }
    }
    return;
  }
  if (r.kind === 'table' && r.parts.length === 1 && model.ctes.some(c => c.name.toLowerCase() === r.parts[0].toLowerCase())) r.kind = 'cte';
}

/** The name a relation is referred to by in its block: its alias, else its last name part. */
export function relationKey(r: Relation): string | undefined {
  if (r.alias) return r.alias.toLowerCase();
  if (r.kind === 'cte' || r.kind === 'table') return r.parts[r.parts.length - 1]?.toLowerCase();
  return undefined;
}

/** Innermost block holding a token. */
export function blockAt(model: SqlModel, tok: number): QueryBlock | undefined {
  let best: QueryBlock | undefined;
  for (const b of model.blocks) if (b.select <= tok && tok < b.end && (!best || b.select > best.select)) best = b;
  return best;
}

/** Output column name of a select item, lower case (undefined for stars and expressions without a name). */
export function itemName(model: SqlModel, item: SelectItem): string | undefined {
  if (item.star) return undefined;
  if (item.aliasTok !== undefined) return identText(model.toks[item.aliasTok]).toLowerCase();
  const last = model.toks[item.to - 1];
  const single = item.to - item.from === 1 || (item.to - item.from >= 3 && isPunct(model.toks[item.to - 2], '.'));
  return single && isName(last) ? identText(last).toLowerCase() : undefined;
}

export function cteByName(model: SqlModel, name: string): Cte | undefined {
  const n = name.toLowerCase();
  return model.ctes.find(c => c.name.toLowerCase() === n);
}

/** The relation a qualifier names in a block or an enclosing one (correlated subqueries). */
export function relationByQualifier(block: QueryBlock | undefined, q: string): Relation | undefined {
  const key = q.toLowerCase();
  for (let b = block; b; b = b.parent) {
    const r = b.relations.find(x => relationKey(x) === key);
    if (r) return r;
  }
  return undefined;
}

export function lineOfTok(model: SqlModel, tok: number): number {
  return model.scan.lines.lineAt(model.toks[tok].start);
}
