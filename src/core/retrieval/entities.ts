// Finds the dbt things a question names: exact identifiers first (fct_orders, stg_shop__orders.order_id,
// a file path), then phrases that spell an identifier in words ("orders fact table" -> fct_orders).
import type { ColumnDef, DbtNode } from '../types';
import type { LineageGraph } from '../dbt/graph';
import { sourceNameOf } from '../dbt/graph-node';

export interface EntityMatch {
  node: DbtNode;
  column?: ColumnDef;
  /** Higher is better; exact identifiers score 10+, word matches below. */
  score: number;
  via: 'exact' | 'path' | 'words';
  /** The text of the question that matched. */
  text: string;
}

/** Strong evidence the question is about this thing: an identifier, a path, or a name spelled out in full. */
export function isStrong(m: EntityMatch): boolean {
  return m.via === 'path' || (m.via === 'exact' && /[_.]/.test(m.text)) || (m.via === 'words' && m.score >= 8) || m.score >= 9;
}

// Words people use for dbt naming prefixes, and common analytics abbreviations spelled out.
const SYNONYMS: Record<string, string[]> = {
  fact: ['fct'], facts: ['fct'], dimension: ['dim'], dimensions: ['dim'], staging: ['stg'], staged: ['stg'],
  intermediate: ['int'], snapshot: ['snp'], ltv: ['lifetime', 'value'], clv: ['customer', 'lifetime', 'value'],
  aov: ['average', 'order', 'value'], cac: ['customer', 'acquisition', 'cost'], roas: ['return', 'ad', 'spend'],
  mrr: ['monthly', 'recurring', 'revenue'], arr: ['annual', 'recurring', 'revenue'], dau: ['daily', 'active', 'user'],
  mau: ['monthly', 'active', 'user'],
};
const WORD_STOP = new Set(['the', 'a', 'an', 'of', 'in', 'on', 'for', 'to', 'is', 'are', 'what', 'which', 'who', 'where', 'how',
  'does', 'do', 'did', 'model', 'models', 'table', 'tables', 'column', 'columns', 'field', 'and', 'or', 'by', 'it', 'this', 'that',
  'me', 'show', 'defined', 'define', 'mean', 'means', 'with', 'from', 'into', 'about', 'when', 'was', 'were', 'be', 'there', 'any',
  'our', 'we', 'my', 'i', 'you', 'all', 'used', 'use', 'uses', 'tests', 'test', 'tested', 'change', 'changed', 'last', 'source', 'sources',
  'macro', 'macros', 'upstream', 'downstream', 'depend', 'depends', 'feed', 'feeds', 'built', 'build', 'grain', 'row', 'rows', 'per', 'one',
  'materialized', 'materialization', 'config', 'configured', 'exposure', 'exposures', 'metric', 'metrics', 'dashboard', 'file', 'lives', 'live']);

interface Entry { node: DbtNode; column?: ColumnDef }

export class EntityMatcher {
  private readonly byName = new Map<string, Entry[]>();
  private readonly byPath = new Map<string, DbtNode>();
  private readonly nodeWords: (NameWords & { node: DbtNode })[] = [];

  constructor(graph: LineageGraph) {
    for (const node of graph.nodes()) this.addNode(node);
  }

  private addNode(node: DbtNode): void {
    if (node.resourceType === 'test' && !node.rawCode) return;
    const names = [node.name, node.relation?.identifier, node.uniqueId];
    if (typeof node.props.genericTest === 'string') names.push(node.props.genericTest); // {% test is_positive %} is macro test_is_positive
    if (node.resourceType === 'source') names.push(`${sourceNameOf(node)}.${node.name}`);
    for (const n of names) if (n) this.add(n, { node });
    for (const col of node.columns) {
      this.add(col.name, { node, column: col });
      this.add(`${node.name}.${col.name}`, { node, column: col });
    }
    if (node.location) this.byPath.set(node.location.path.toLowerCase(), node);
    if (node.yamlLocation && !this.byPath.has(node.yamlLocation.path.toLowerCase())) this.byPath.set(node.yamlLocation.path.toLowerCase(), node);
    if (['model', 'seed', 'snapshot', 'source', 'exposure', 'metric', 'semantic_model', 'macro', 'saved_query'].includes(node.resourceType)) {
      this.nodeWords.push({ node, ...nameWords(node.name) });
    }
  }

  private add(name: string, e: Entry): void {
    const k = name.toLowerCase();
    const list = this.byName.get(k);
    if (list) list.push(e); else this.byName.set(k, [e]);
  }

  /** All entities the question names, best first. */
  match(question: string): EntityMatch[] {
    const found: EntityMatch[] = [];
    const seen = new Set<string>();
    const push = (m: EntityMatch) => {
      const key = `${m.node.uniqueId}|${m.column?.name ?? ''}`;
      if (!seen.has(key)) { seen.add(key); found.push(m); }
    };
    for (const tok of identifierTokens(question)) {
      const path = this.byPath.get(tok.toLowerCase());
      if (path) push({ node: path, score: 12, via: 'path', text: tok });
      for (const e of this.byName.get(tok.toLowerCase()) ?? []) {
        const dotted = tok.includes('.');
        const plainWord = !/[_.]/.test(tok); // 'status', 'orders': weaker evidence than 'order_status'
        const score = (e.column ? 10 : 11) + (dotted ? 1 : 0) - (plainWord ? 4 : 0) + rankType(e.node);
        push({ node: e.node, column: e.column, score, via: 'exact', text: tok });
      }
    }
    // Words inside identifiers that already matched ('first_order_coupon_code') are not names spelled out.
    const rest = found.reduce((q, m) => (m.via === 'path' || /[_./]/.test(m.text) ? q.split(m.text).join(' ') : q), question);
    for (const m of this.wordMatches(rest)) push(m);
    return found.sort((a, b) => b.score - a.score);
  }

  /** Names spelled in words ("orders fact table" -> fct_orders); partial matches score lower. */
  private wordMatches(question: string): EntityMatch[] {
    const qWords = new Set(contentWords(question));
    if (!qWords.size) return [];
    const out: EntityMatch[] = [];
    for (const { node, meaningful, qualifiers } of this.nodeWords) {
      if (!meaningful.length) continue;
      const hit = meaningful.filter(w => qWords.has(w)).length;
      const prefixHit = qualifiers.some(w => qWords.has(w)) ? 1 : 0;
      const complete = hit === meaningful.length;
      if (!hit || (!complete && hit + prefixHit < 2)) continue;
      // Spelling out the prefix too ("orders fact table") is as good as naming the model.
      const score = 2 * hit + 2 * prefixHit + (complete ? 4 : 0) - 0.5 * (meaningful.length - hit) + rankType(node);
      out.push({ node, score, via: 'words', text: meaningful.join(' ') });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, 8);
  }
}

interface NameWords { meaningful: string[]; qualifiers: string[] }

/** Splits a dbt name into the words that say what it is and the qualifiers people often leave out:
 *  the layer prefix (stg_, fct_) and, in `stg_<source>__<entity>`, the source system. */
function nameWords(name: string): NameWords {
  const [head, ...rest] = name.toLowerCase().split('__');
  const entity = rest.length ? splitWords(rest.join('_')) : splitWords(head);
  const qualifiers = rest.length ? splitWords(head) : entity.filter(w => PREFIXES.has(w));
  return { meaningful: entity.filter(w => !PREFIXES.has(w)), qualifiers };
}

const PREFIXES = new Set(['fct', 'dim', 'stg', 'int', 'base', 'mart', 'rpt', 'snp', 'agg', 'raw']);

/** Marts and models first when names collide, then sources and seeds. */
function rankType(node: DbtNode): number {
  switch (node.resourceType) {
    case 'model': return 0.3;
    case 'source': case 'seed': case 'snapshot': return 0.2;
    case 'macro': case 'metric': case 'semantic_model': case 'exposure': return 0.1;
    default: return 0;
  }
}

/** Identifier-looking tokens: words with _ . / or digits, backticked names, and plain words (for single-word names). */
export function identifierTokens(text: string): string[] {
  const toks = text.match(/[A-Za-z_][A-Za-z0-9_./-]*[A-Za-z0-9_]|[A-Za-z_]/g) ?? [];
  const out: string[] = [];
  for (const t of toks) {
    const clean = t.replace(/[.,;:!?]+$/, '');
    out.push(clean);
    if (clean.includes('.')) out.push(...clean.split('.'));
  }
  return out;
}

export function splitWords(name: string): string[] {
  return name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map(singular);
}

export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    .filter(w => !WORD_STOP.has(w))
    .flatMap(w => SYNONYMS[w] ?? [w])
    .map(singular);
}

function singular(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) return w.slice(0, -1);
  return w;
}
