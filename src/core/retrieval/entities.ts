// Finds the dbt things a question names: exact identifiers first (fct_orders, stg_shop__orders.order_id,
// a file path), then phrases that spell an identifier in words ("orders fact table" -> fct_orders).
import type { ColumnDef, DbtNode } from '../types';
import type { LineageGraph } from '../dbt/graph';

export interface EntityMatch {
  node: DbtNode;
  column?: ColumnDef;
  /** Higher is better; exact identifiers score 10+, word matches below. */
  score: number;
  via: 'exact' | 'path' | 'words';
  /** The text of the question that matched. */
  text: string;
}

// Words people use for dbt naming prefixes and plurals.
const SYNONYMS: Record<string, string> = {
  fact: 'fct', facts: 'fct', dimension: 'dim', dimensions: 'dim', staging: 'stg', staged: 'stg',
  intermediate: 'int', snapshot: 'snp', ltv: 'lifetime', clv: 'lifetime',
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
  private readonly nodeWords: { node: DbtNode; words: string[] }[] = [];

  constructor(graph: LineageGraph) {
    for (const node of graph.nodes()) this.addNode(node);
  }

  private addNode(node: DbtNode): void {
    if (node.resourceType === 'test' && !node.rawCode) return;
    const names = [node.name, node.relation?.identifier, node.uniqueId];
    if (node.resourceType === 'source' && node.props.sourceName) names.push(`${String(node.props.sourceName)}.${node.name}`);
    for (const n of names) if (n) this.add(n, { node });
    for (const col of node.columns) {
      this.add(col.name, { node, column: col });
      this.add(`${node.name}.${col.name}`, { node, column: col });
    }
    if (node.location) this.byPath.set(node.location.path.toLowerCase(), node);
    if (node.yamlLocation && !this.byPath.has(node.yamlLocation.path.toLowerCase())) this.byPath.set(node.yamlLocation.path.toLowerCase(), node);
    if (['model', 'seed', 'snapshot', 'source', 'exposure', 'metric', 'semantic_model', 'macro', 'saved_query'].includes(node.resourceType)) {
      this.nodeWords.push({ node, words: splitWords(node.name) });
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
    for (const m of this.wordMatches(question)) push(m);
    return found.sort((a, b) => b.score - a.score);
  }

  /** Names spelled in words: every word of the name present in the question (after synonyms). */
  private wordMatches(question: string): EntityMatch[] {
    const qWords = new Set(contentWords(question));
    if (!qWords.size) return [];
    const out: EntityMatch[] = [];
    for (const { node, words } of this.nodeWords) {
      const meaningful = words.filter(w => !PREFIXES.has(w));
      if (!meaningful.length) continue;
      const hit = meaningful.filter(w => qWords.has(w)).length;
      if (hit < meaningful.length) continue;
      const prefixHit = words.some(w => PREFIXES.has(w) && qWords.has(w)) ? 1 : 0;
      out.push({ node, score: 3 + hit + prefixHit + rankType(node) - 0.1 * (words.length - hit - prefixHit), via: 'words', text: meaningful.join(' ') });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, 8);
  }
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
    .map(w => SYNONYMS[w] ?? w)
    .map(singular);
}

function singular(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) return w.slice(0, -1);
  return w;
}
