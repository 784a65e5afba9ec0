// MiniSearchKeywordIndex: BM25 keyword search (minisearch) over document titles (boosted) and texts.
// Tokens are identifier-aware: `stg_customer_orders`, `raw.jaffle_shop.customers` and `customerId` are kept whole
// AND split into their parts, so both the exact name and its words find the document. English and SQL stop words
// are dropped: they carry no meaning here and their long posting lists made queries ~8× slower at 50k docs.
// Prefix matching only on the last query word (search-as-you-type), no fuzzy matching: both cost more than
// they find at this corpus size. Rebuilt in memory from documents on open (never persisted).
import MiniSearch from 'minisearch';
import type { KeywordHit, KeywordIndex } from './types';
import { subTokens } from './embeddings/hashed';

const WORD_RE = /[A-Za-z0-9_\u00C0-\uFFFF]+(?:\.[A-Za-z0-9_\u00C0-\uFFFF]+)*/g;

export const STOP_WORDS: ReadonlySet<string> = new Set([
  // English
  'a', 'about', 'after', 'all', 'also', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'been', 'before', 'being', 'but',
  'by', 'can', 'could', 'did', 'do', 'does', 'each', 'for', 'from', 'had', 'has', 'have', 'he', 'her', 'his', 'how',
  'i', 'if', 'in', 'into', 'is', 'it', 'its', 'me', 'my', 'no', 'nor', 'not', 'of', 'on', 'only', 'or', 'our', 'per',
  'she', 'should', 'so', 'such', 'than', 'that', 'the', 'their', 'them', 'then', 'there', 'these', 'they', 'this',
  'those', 'to', 'too', 'us', 'via', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'while', 'who', 'whom',
  'why', 'will', 'with', 'would', 'you', 'your',
  // SQL and Jinja boilerplate present in nearly every model
  'select', 'where', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'using', 'having', 'limit',
  'union', 'distinct', 'case', 'else', 'end', 'null', 'true', 'false', 'cast', 'coalesce', 'over', 'partition',
  'asc', 'desc', 'between', 'like', 'ilike', 'exists', 'ref', 'endif', 'endfor', 'endmacro', 'set',
]);

/** Lowercased index terms of a text: each word/identifier whole, plus its parts when it has several. */
export function keywordTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD_RE)) out.push(...wordTerms(m[0]));
  return out;
}

function wordTerms(word: string): string[] {
  const terms: string[] = [];
  const parts = subTokens(word);
  if (parts.length > 1) {
    terms.push(...parts);
    // `raw.jaffle_shop.customers`: also each dotted segment, so `jaffle_shop` finds it
    if (word.includes('.')) for (const seg of word.split('.')) if (/[_a-z][A-Z]|_/.test(seg)) terms.push(seg.toLowerCase());
  }
  terms.push(word.toLowerCase());
  return terms.filter(keep);
}

function keep(term: string): boolean {
  return term.length > 1 && !STOP_WORDS.has(term);
}

interface KeywordDoc {
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
    const last = new Set(wordTerms(words[words.length - 1]).filter(t => t.length >= 3));
    const hits = this.ms.search(query, {
      boost: { title: 2 },
      fuzzy: false,
      prefix: term => last.has(term),
      combineWith: 'OR',
    });
    return hits.slice(0, k).map(h => ({ id: String(h.id), score: h.score }));
  }

  size(): number {
    return this.ms.documentCount;
  }
}
