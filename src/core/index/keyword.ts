// MiniSearchKeywordIndex: BM25 keyword search (minisearch) over document titles (boosted) and texts, with the
// identifier-aware terms of tokens.ts. Prefix matching only on the last query word (search-as-you-type), no fuzzy matching: both cost more than
// they find at this corpus size. Rebuilt in memory from documents on open (never persisted).
import MiniSearch from 'minisearch';
import type { KeywordHit, KeywordIndex } from './types';
import { keywordTokens, WORD_RE } from './tokens';

export { keywordTokens, STOP_WORDS } from './tokens';

export interface KeywordDoc {
  id: string;
  title: string;
  text: string;
}

export class MiniSearchKeywordIndex implements KeywordIndex {
  private ms = MiniSearchKeywordIndex.create();

  private static create(): MiniSearch<KeywordDoc> {
    return new MiniSearch<KeywordDoc>({
      idField: 'id',
      fields: ['title', 'text'],
      storeFields: [],
      tokenize: keywordTokens,
      processTerm: t => t, // keywordTokens already lowercased and filtered
    });
  }

  /** Adds documents; an id already present is replaced. */
  add(docs: KeywordDoc[]): void {
    for (const d of docs) if (this.ms.has(d.id)) this.ms.discard(d.id);
    this.ms.addAll(docs.map(d => ({ id: d.id, title: d.title, text: d.text })));
  }

  remove(ids: string[]): void {
    for (const id of ids) if (this.ms.has(id)) this.ms.discard(id);
  }

  has(id: string): boolean {
    return this.ms.has(id);
  }

  clear(): void {
    this.ms = MiniSearchKeywordIndex.create();
  }

  search(query: string, k: number): KeywordHit[] {
    const words = query.match(WORD_RE) ?? [];
    if (!words.length || k <= 0) return [];
    const terms = this.selectTerms([...new Set(keywordTokens(query))]);
    if (!terms.length) return [];
    // search-as-you-type: the last word as typed may be incomplete (`stg_cust`); its parts are not prefixed,
    // `dim` or `stg` would expand to hundreds of terms
    const last = words[words.length - 1].toLowerCase();
    const hits = this.ms.search(terms.join(' '), {
      tokenize: s => s.split(' '), // already our terms: no second split
      processTerm: t => t,
      boost: { title: 2 },
      fuzzy: false,
      prefix: term => term === last && term.length >= 3,
      combineWith: 'OR',
    });
    return hits.slice(0, k).map(h => ({ id: String(h.id), score: h.score }));
  }

  /**
   * Drops query terms found in more than 30% of the documents (`wayne`, `models`, `stg` in a dbt project):
   * BM25 gives them almost no weight, yet walking their postings was most of a query's time.
   * The rarest term is kept when all are frequent.
   */
  private selectTerms(terms: string[]): string[] {
    const n = this.ms.documentCount;
    if (n < 50 || terms.length < 2) return terms;
    const df = terms.map(t => this.documentFrequency(t));
    if (df.some(d => d === undefined)) return terms;
    const kept = terms.filter((_, i) => df[i]! <= n * 0.3);
    if (kept.length) return kept;
    let rarest = 0;
    df.forEach((d, i) => { if (d! < df[rarest]!) rarest = i; });
    return [terms[rarest]];
  }

  /** Documents containing term (discarded ones included until vacuumed); undefined if minisearch's internals changed. */
  private documentFrequency(term: string): number | undefined {
    // minisearch 7 keeps term -> field -> (doc -> freq) in the protected `_index`; no public accessor exists.
    const index = (this.ms as unknown as { _index?: { get?: (t: string) => Map<number, Map<number, number>> | undefined } })._index;
    if (typeof index?.get !== 'function') return undefined;
    const fields = index.get(term);
    if (!fields) return 0;
    let df = 0;
    for (const docs of fields.values()) df = Math.max(df, docs.size);
    return df;
  }

  size(): number {
    return this.ms.documentCount;
  }
}
