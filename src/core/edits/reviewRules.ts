// The checks of a model review. Each rule reads the snapshot and the model's SQL structure and returns advisory
// findings with a location; deterministic fixes are attached by review.ts.
import type { DbtNode, SourceRange } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { catalogTableOf, resolveRef, resolveSource } from './refactorCatalog';
import { cteByName, identText, isPunct, isWord, itemName, lineOfTok, matchParen, type QueryBlock, type Relation, type SqlModel } from './refactorSql';
import type { EditPlan } from './types';

export type ReviewRule =
  | 'undocumented-model' | 'undocumented-columns' | 'untested-key' | 'select-star-in-mart' | 'hard-coded-relation'
  | 'fan-out-join' | 'incremental-without-unique-key' | 'incremental-without-filter';

export interface ReviewFinding {
  rule: ReviewRule;
  severity: 'warning' | 'info';
  message: string;
  location: SourceRange;
  fix?: EditPlan;
}

/** Answers "is this relation unique on these columns?" from the data (e.g. a count(distinct) on the warehouse). */
export type UniquenessProbe = (node: DbtNode, columns: string[]) => Promise<boolean | undefined>;

export interface RuleContext {
  snap: WorkspaceSnapshot;
  node: DbtNode;
  text: string;
  sql: SqlModel;
  probe?: UniquenessProbe;
}

export function at(ctx: RuleContext, line = 1, endLine = line): SourceRange {
  return { path: ctx.node.location!.path, startLine: line, endLine };
}

function yamlOr(ctx: RuleContext): SourceRange {
  return ctx.node.yamlLocation ?? at(ctx, 1, ctx.node.location?.endLine ?? 1);
}

export function documentation(ctx: RuleContext): ReviewFinding[] {
  const out: ReviewFinding[] = [];
  const n = ctx.node;
  if (!n.description?.trim()) {
    out.push({ rule: 'undocumented-model', severity: 'warning', location: yamlOr(ctx),
      message: n.yamlLocation ? `${n.name} has a YAML entry but no description.` : `${n.name} has no YAML entry: it is undocumented and untested.` });
  }
  const documented = new Set(n.columns.filter(c => c.description?.trim()).map(c => c.name.toLowerCase()));
  const missing = outputColumns(ctx).filter(c => !documented.has(c.toLowerCase()));
  if (missing.length) {
    out.push({ rule: 'undocumented-columns', severity: missing.length === outputColumns(ctx).length ? 'warning' : 'info', location: yamlOr(ctx),
      message: `${missing.length} column${missing.length === 1 ? '' : 's'} without a description: ${missing.join(', ')}.` });
  }
  return out;
}

/** The model's columns: the catalog's, else the YAML's plus the names the final SELECT gives. */
export function outputColumns(ctx: RuleContext): string[] {
  const cat = catalogTableOf(ctx.snap, ctx.node)?.columns.map(c => c.name);
  if (cat?.length) return cat;
  const names = new Set(ctx.node.columns.map(c => c.name));
  const first = ctx.sql.finals[0];
  for (const it of first?.items ?? []) { const nm = itemName(ctx.sql, it); if (nm) names.add(nm); }
  return [...names];
}

export function keyTests(ctx: RuleContext): ReviewFinding[] {
  const tests = ctx.snap.graph.testsCovering(ctx.node.uniqueId).filter(t => !t.viaRelationship && !t.singular);
  const byCol = new Map<string, Set<string>>();
  for (const t of tests) if (t.column) byCol.set(t.column.toLowerCase(), new Set([...(byCol.get(t.column.toLowerCase()) ?? []), t.testName]));
  const keyed = [...byCol.entries()].some(([, names]) => names.has('unique') && names.has('not_null'));
  const combo = tests.some(t => /unique_combination_of_columns$/.test(t.testName));
  if (keyed || combo) return [];
  const grain = ctx.snap.graph.grain(ctx.node.uniqueId);
  const entity = ctx.node.name.replace(/^(stg|int|fct|dim|base)_+/, '').replace(/^.*__/, '').replace(/s$/, '');
  const cols = outputColumns(ctx).map(c => c.toLowerCase());
  const guess = grain?.columns[0] ?? cols.find(c => c === `${entity}_id`) ?? cols.find(c => c === 'id');
  const half = [...byCol.entries()].find(([, names]) => names.has('unique') || names.has('not_null'));
  return [{
    rule: 'untested-key', severity: 'warning', location: yamlOr(ctx),
    message: `No column is tested both unique and not_null${half ? ` (${half[0]} has only ${[...half[1]].filter(x => x === 'unique' || x === 'not_null').join('')})` : ''}` +
      `${guess ? `; the key looks like \`${guess}\`${grain ? ` (${grain.evidence})` : ''}` : ''}. Without a key test, duplicates reach every model downstream.`,
  }];
}

export function isMart(node: DbtNode): boolean {
  const p = node.location?.path ?? '';
  return /(^|\/)marts?\//.test(p) || /^(fct|dim|fact|mart)_/.test(node.name);
}

/** `select *` whose columns come from a ref/source/table (not from a CTE that lists them). */
export function selectStar(ctx: RuleContext): ReviewFinding[] {
  if (!isMart(ctx.node)) return [];
  const out: ReviewFinding[] = [];
  const first = ctx.sql.finals[0];
  if (!first) return out;
  for (const it of first.items.filter(i => i.star)) {
    const from = starSources(ctx.sql, first, it.star!.qualifier, 0);
    if (!from.length) continue;
    const line = lineOfTok(ctx.sql, it.from);
    out.push({ rule: 'select-star-in-mart', severity: 'warning', location: at(ctx, line),
      message: `The mart's output is \`select *\` from ${from.join(', ')}: its columns change whenever upstream adds, drops or reorders one. List them explicitly.` });
  }
  return out;
}

/** The upstream relations whose columns a star passes through unlisted. */
function starSources(m: SqlModel, b: QueryBlock, qualifier: string | undefined, hops: number): string[] {
  if (hops > 20) return [];
  const rels = b.relations.filter(r => !qualifier || (r.alias ?? r.parts[r.parts.length - 1] ?? '').toLowerCase() === qualifier.toLowerCase());
  const out: string[] = [];
  for (const r of rels) {
    if (r.kind === 'cte') {
      const cte = cteByName(m, r.parts[0]);
      const body = cte?.blocks[0];
      if (!body) continue;
      for (const it of body.items.filter(i => i.star)) out.push(...starSources(m, body, it.star!.qualifier, hops + 1));
    } else if (r.kind === 'subquery' && r.block) {
      for (const it of r.block.items.filter(i => i.star)) out.push(...starSources(m, r.block, it.star!.qualifier, hops + 1));
    } else if (r.kind !== 'function') out.push(`\`${r.text.replace(/\s+/g, ' ').trim()}\``);
  }
  return [...new Set(out)];
}

export function incremental(ctx: RuleContext): ReviewFinding[] {
  const n = ctx.node;
  if (n.config.materialized !== 'incremental') return [];
  const out: ReviewFinding[] = [];
  const cfgLine = configLine(ctx);
  const strategy = n.config.incrementalStrategy;
  const appendOnly = strategy === 'append' || strategy === 'microbatch' || strategy === 'insert_overwrite';
  if (!n.config.uniqueKey || (Array.isArray(n.config.uniqueKey) && !n.config.uniqueKey.length)) {
    out.push({ rule: 'incremental-without-unique-key', severity: appendOnly ? 'info' : 'warning', location: at(ctx, cfgLine),
      message: `Incremental without unique_key${strategy ? ` (strategy ${strategy})` : ''}: re-processed rows are appended again instead of replacing the old ones` +
        `${appendOnly ? '; fine if the source only ever appends new rows' : ''}.` });
  }
  if (!n.isIncremental && !/\bis_incremental\s*\(/.test(ctx.text)) {
    out.push({ rule: 'incremental-without-filter', severity: 'warning', location: at(ctx, cfgLine),
      message: 'Incremental but never calls `is_incremental()`: every run re-reads (and with a unique_key, re-merges) all rows. Add `{% if is_incremental() %} where ... > (select max(...) from {{ this }}) {% endif %}`.' });
  }
  return out;
}

export function configLine(ctx: RuleContext): number {
  const tag = ctx.sql.scan.tags.find(t => /^\s*config\s*\(/.test(t.body));
  return tag?.line ?? 1;
}

// ---------------------------------------------------------------- joins

interface JoinKey {
  rel: Relation;
  columns: string[];
  line: number;
}

/** For each joined relation (not the first in FROM), the columns of its own side in the ON condition. */
function joinKeys(m: SqlModel, b: QueryBlock): JoinKey[] {
  const out: JoinKey[] = [];
  if (b.fromTok === undefined) return out;
  const toks = m.toks;
  for (let i = 1; i < b.relations.length; i++) {
    const r = b.relations[i];
    const name = (r.alias ?? r.parts[r.parts.length - 1] ?? '').toLowerCase();
    if (!name) continue;
    let k = (r.aliasTok ?? r.lastTok) + 1;
    if (!isWord(toks[k], 'ON')) continue;
    const cols: string[] = [];
    const end = i + 1 < b.relations.length ? b.relations[i + 1].firstTok : b.fromEnd ?? b.end;
    for (k++; k < end; k++) {
      const t = toks[k];
      if (isPunct(t, '(') && isWord(toks[k - 1], 'SELECT')) k = matchParen(m.toks, k);
      if ((t.kind === 'word' || t.kind === 'quoted') && isPunct(toks[k + 1], '.') && identText(t).toLowerCase() === name) {
        const c = toks[k + 2];
        if (c && (c.kind === 'word' || c.kind === 'quoted')) cols.push(identText(c).toLowerCase());
      }
    }
    if (cols.length) out.push({ rel: r, columns: [...new Set(cols)], line: lineOfTok(m, r.firstTok) });
  }
  return out;
}

/** true/false when known, undefined when nothing says. */
async function uniqueOn(ctx: RuleContext, r: Relation, cols: string[], hops = 0): Promise<{ unique?: boolean; node?: DbtNode; why: string }> {
  if (hops > 10) return { why: 'too deep' };
  if (r.kind === 'ref' || r.kind === 'source') {
    const node = r.kind === 'ref' ? resolveRef(ctx.snap, ctx.node.project, r.ref!) : resolveSource(ctx.snap, ctx.node.project, r.source!);
    if (!node) return { why: 'unresolved' };
    return nodeUniqueOn(ctx, node, cols);
  }
  if (r.kind === 'cte') {
    const cte = cteByName(ctx.sql, r.parts[0]);
    const body = cte?.blocks[0];
    if (!body || cte!.blocks.length > 1) return { why: 'a union' };
    if (groupedBy(ctx.sql, body, cols) || isWord(ctx.sql.toks[body.select + 1], 'DISTINCT')) return { unique: true, why: `${r.parts[0]} is grouped by ${cols.join(', ')}` };
    // One upstream relation, the key passed through under its own name (a filter keeps a unique key unique).
    const passes = cols.every(c => body.items.some(i => i.star || (i.aliasTok === undefined && itemName(ctx.sql, i) === c)));
    if (body.relations.length === 1 && passes) {
      const up = await uniqueOn(ctx, body.relations[0], cols, hops + 1);
      // A filter (`where rank = 1`, `where is_first_order`) may be what makes the rows unique: then nothing is known.
      return up.unique === false && filtered(ctx.sql, body) ? { why: `${r.parts[0]} filters its rows` } : up;
    }
  }
  return { why: 'unknown' };
}

function filtered(m: SqlModel, b: QueryBlock): boolean {
  for (let k = b.fromTok ?? b.select; k < b.end; k++) {
    const t = m.toks[k];
    if (t.depth === b.depth && t.kind === 'word' && ['WHERE', 'QUALIFY', 'HAVING', 'LIMIT'].includes(t.upper!)) return true;
  }
  return false;
}

function groupedBy(m: SqlModel, b: QueryBlock, cols: string[]): boolean {
  for (let k = b.select; k < b.end; k++) {
    if (isWord(m.toks[k], 'GROUP') && isWord(m.toks[k + 1], 'BY') && m.toks[k].depth === b.depth) {
      const names: string[] = [];
      for (let j = k + 2; j < b.end && m.toks[j].depth >= b.depth; j++) {
        const t = m.toks[j];
        if (t.depth === b.depth && t.kind === 'word' && ['HAVING', 'ORDER', 'LIMIT', 'QUALIFY', 'WINDOW'].includes(t.upper!)) break;
        if (t.kind === 'word' || t.kind === 'quoted') names.push(identText(t).toLowerCase());
        if (t.kind === 'number') { // group by 1, 2: positions in the select list
          const it = b.items[Number(t.text) - 1];
          const nm = it ? itemName(m, it) : undefined;
          if (nm) names.push(nm);
        }
      }
      const groupOut = new Set(names);
      return cols.every(c => groupOut.has(c)) && names.length > 0;
    }
  }
  return false;
}

async function nodeUniqueOn(ctx: RuleContext, node: DbtNode, cols: string[]): Promise<{ unique?: boolean; node?: DbtNode; why: string }> {
  const tests = ctx.snap.graph.testsCovering(node.uniqueId).filter(t => !t.viaRelationship && !t.singular);
  if (cols.length === 1 && tests.some(t => t.testName === 'unique' && t.column?.toLowerCase() === cols[0])) return { unique: true, node, why: `unique test on ${node.name}.${cols[0]}` };
  const grain = ctx.snap.graph.grain(node.uniqueId);
  if (grain && grain.columns.every(g => cols.includes(g.toLowerCase()))) return { unique: true, node, why: grain.evidence };
  if (ctx.probe) {
    const probed = await ctx.probe(node, cols).catch(() => undefined);
    if (probed !== undefined) return { unique: probed, node, why: probed ? 'profiled unique' : 'profiling found duplicates' };
  }
  const tested = tests.length > 0 || node.columns.length > 0;
  return { unique: tested ? false : undefined, node, why: tested ? `no unique test or grain on ${node.name}(${cols.join(', ')})` : 'no tests' };
}

export async function fanOut(ctx: RuleContext): Promise<ReviewFinding[]> {
  const out: ReviewFinding[] = [];
  for (const b of ctx.sql.blocks) {
    for (const jk of joinKeys(ctx.sql, b)) {
      const u = await uniqueOn(ctx, jk.rel, jk.columns);
      if (u.unique !== false) continue;
      const what = u.node ? `${u.node.name}` : jk.rel.text.trim();
      out.push({ rule: 'fan-out-join', severity: u.why === 'profiling found duplicates' ? 'warning' : 'info', location: at(ctx, jk.line),
        message: `Join to ${jk.rel.alias ?? what} on ${jk.columns.join(', ')}: ${u.why === 'profiling found duplicates' ? `the data has duplicate ${jk.columns.join(', ')} in ${what}` : `nothing says ${what} is unique on it (${u.why})`}` +
          ' — if it is not, rows of the left side multiply. Add a unique test on the key, or aggregate before joining.' });
    }
  }
  return out;
}
