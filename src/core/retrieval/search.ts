// Hybrid retrieval: exact identifiers, keyword (BM25) and vectors fused by reciprocal rank, then widened along
// dbt lineage so a model's parents and children come with it.
import type { IndexDocument, SearchHit } from '../types';
import type { LineageGraph } from '../dbt/graph';
import { isStrong, type EntityMatcher } from './entities';

/** What retrieval needs from the index (implemented by index/indexer.ts). */
export interface SearchableIndex {
  get(id: string): IndexDocument | undefined;
  keywordSearch(query: string, k: number): { id: string; score: number }[];
  vectorSearch(query: string, k: number): Promise<{ id: string; score: number }[]>;
  /** Documents of a dbt node (its SQL, YAML entry, column groups, warehouse table). */
  documentsOfNode(nodeId: string): IndexDocument[];
}

export interface SearchOptions {
  kinds?: IndexDocument['kind'][];
  /** Add parents/children of the top models (default true). */
  lineage?: boolean;
}

const RRF_K = 60;
const WEIGHTS = { exact: 2.0, keyword: 1.0, vector: 0.8, lineage: 0.3 };
const POOL = 50;

export class Retriever {
  constructor(private readonly index: SearchableIndex, private readonly matcher: EntityMatcher, private readonly graph: LineageGraph) {}

  async search(query: string, k = 10, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const hits = new Map<string, SearchHit>();
    const bump = (doc: IndexDocument | undefined, signal: keyof SearchHit['signals'], rank: number, raw: number) => {
      if (!doc || (opts.kinds && !opts.kinds.includes(doc.kind))) return;
      const h = hits.get(doc.id) ?? { doc, score: 0, signals: {} };
      h.score += WEIGHTS[signal] / (RRF_K + rank);
      h.signals[signal] = Math.max(h.signals[signal] ?? 0, raw);
      hits.set(doc.id, h);
    };
    this.exactDocs(query).forEach((d, i) => bump(d.doc, 'exact', i, d.score));
    this.index.keywordSearch(query, POOL).forEach((h, i) => bump(this.index.get(h.id), 'keyword', i, h.score));
    (await this.index.vectorSearch(query, POOL)).forEach((h, i) => bump(this.index.get(h.id), 'vector', i, h.score));
    if (opts.lineage !== false) this.widen(rank(hits), bump);
    return rank(hits).slice(0, k);
  }

  private exactDocs(query: string): { doc: IndexDocument; score: number }[] {
    const out: { doc: IndexDocument; score: number }[] = [];
    // Plain words that happen to be names ('orders', 'revenue') are left to keyword search.
    for (const m of this.matcher.match(query).filter(isStrong).slice(0, 6)) {
      for (const doc of this.index.documentsOfNode(m.node.uniqueId)) out.push({ doc, score: m.score });
    }
    return out;
  }

  /** Neighbours of the top models join with a small lineage score, below the hits that found them. */
  private widen(ranked: SearchHit[], bump: (d: IndexDocument | undefined, s: 'lineage', r: number, raw: number) => void): void {
    const top = new Set(ranked.slice(0, 3).map(h => h.doc.nodeId).filter((x): x is string => !!x));
    let r = 0;
    for (const id of top) {
      for (const { node } of [...this.graph.upstream(id, 1), ...this.graph.downstream(id, 1)]) {
        bump(this.index.documentsOfNode(node.uniqueId)[0], 'lineage', r++, 1);
      }
    }
  }
}

function rank(hits: Map<string, SearchHit>): SearchHit[] {
  return [...hits.values()].sort((a, b) => b.score - a.score);
}
