// Bm25KeywordIndex: the same search as MiniSearchKeywordIndex (BM25 over title ×2 + text, tokens.ts terms,
// prefix on the last query word, frequent query terms skipped) in compact typed arrays.
// Why it exists: measured on a generated 20k-document dbt workspace (~800k distinct term/document pairs),
// minisearch's map-of-maps postings took ~93 MB of heap (+120-140 MB RSS) and 2-2.7 s of CPU to build on every
// open (p50 query 4.4 ms); with the embedding model's 160-240 MB that left no room under the 500 MB peak-RSS
// budget. This index: ~33 MB of heap (half of it the tokenizer's word memo), 0.85 s to build, p50 query 0.3 ms.
// A posting is 4 bytes, plus 4 bytes in a per-document term list used for removals.
//
// Layout: documents live in slots; per field, each term has a posting list: one Int32Array of slot << 8 | tf
// (up to 8M documents; tf saturates at 255, far past where BM25 stops caring) and its used length.
// Removing a document marks its slot dead and lowers the document frequencies of its terms; dead postings
// are skipped by searches and dropped in one pass when they exceed a quarter of the live documents.
import type { KeywordHit, KeywordIndex } from './types';
import { keywordTokens, WORD_RE } from './tokens';
import { TopK } from './vectors/topk';
import type { KeywordDoc } from './keyword';

const FIELDS = 2; // 0 = title, 1 = text
const BOOST = [2, 1];
const K1 = 1.2;
const B = 0.7;
/** Score factor of a term reached by prefix expansion (minisearch's default). */
const PREFIX_WEIGHT = 0.375;
const MAX_EXPANSIONS = 64;
const FREQUENT = 0.3;

/** A posting packs slot and term frequency into one int: slot << 8 | min(tf, 255). */
const TF_BITS = 8;
const TF_MAX = (1 << TF_BITS) - 1;

export class Bm25KeywordIndex implements KeywordIndex {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  /** postings[field][termId], used length in postingCount[field][termId] */
  private readonly postings: (Int32Array | undefined)[][] = [[], []];
  private postingCount: Int32Array[] = [new Int32Array(1024), new Int32Array(1024)];
  /** live document frequency per field and term */
  private df: Int32Array[] = [new Int32Array(1024), new Int32Array(1024)];
  private readonly slotOf = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  /** per slot: termId * FIELDS + field of each distinct term, for removals */
  private forward: (Int32Array | undefined)[] = [];
  private lengths: Float32Array[] = [new Float32Array(1024), new Float32Array(1024)];
  private readonly totalLength = [0, 0];
  private free: number[] = [];
  private dead = 0;
  private sortedTerms?: string[];
  private unsortedAdds = 0;

  /** Adds documents; an id already present is replaced. */
  add(docs: KeywordDoc[]): void {
    for (const d of docs) {
      this.remove([d.id]);
      this.insert(d);
    }
  }

  remove(ids: string[]): void {
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      for (const code of this.forward[slot] ?? []) this.df[code % FIELDS][Math.floor(code / FIELDS)]--;
      for (let f = 0; f < FIELDS; f++) this.totalLength[f] -= this.lengths[f][slot];
      this.forward[slot] = undefined;
      this.ids[slot] = undefined;
      this.slotOf.delete(id);
      this.dead++;
    }
    if (this.dead > Math.max(1000, this.slotOf.size / 4)) this.compact();
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  size(): number {
    return this.slotOf.size;
  }

  search(query: string, k: number): KeywordHit[] {
    const words = query.match(WORD_RE) ?? [];
    const n = this.slotOf.size;
    if (!words.length || k <= 0 || !n) return [];
    const weighted = this.queryTerms([...new Set(keywordTokens(query))], words[words.length - 1].toLowerCase());
    if (!weighted.size) return [];
    const scores = new Float32Array(this.ids.length);
    const touched: number[] = [];
    for (const [termId, weight] of weighted) {
      for (let f = 0; f < FIELDS; f++) this.scoreTerm(termId, f, weight * BOOST[f], scores, touched);
    }
    const ids = this.ids as string[];
    // equal scores rank by id, so results do not depend on slot history
    const top = new TopK(Math.min(k, touched.length), (a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    for (const slot of touched) top.push(slot, scores[slot]);
    return top.result().map(h => ({ id: ids[h.index], score: h.score }));
  }

  // ------------------------------------------------------------ indexing

  private insert(d: KeywordDoc): void {
    const slot = this.free.pop() ?? this.ids.length;
    this.ensureSlots(slot + 1);
    this.ids[slot] = d.id;
    this.slotOf.set(d.id, slot);
    const codes: number[] = [];
    [d.title, d.text].forEach((text, f) => {
      const tokens = keywordTokens(text);
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, tf] of counts) {
        const id = this.termId(term);
        this.addPosting(f, id, (slot << TF_BITS) | Math.min(tf, TF_MAX));
        this.df[f][id]++;
        codes.push(id * FIELDS + f);
      }
      this.lengths[f][slot] = tokens.length;
      this.totalLength[f] += tokens.length;
    });
    this.forward[slot] = Int32Array.from(codes);
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id !== undefined) return id;
    id = this.terms.length;
    this.terms.push(term);
    this.termIds.set(term, id);
    this.noteNewTerm(term);
    if (id >= this.df[0].length) {
      this.df = this.df.map(a => grow(a, id + 1));
      this.postingCount = this.postingCount.map(a => grow(a, id + 1));
    }
    return id;
  }

  /** Keeps the sorted term list (for prefix search) current: a few new terms are inserted, many mean a re-sort. */
  private noteNewTerm(term: string): void {
    if (!this.sortedTerms) return;
    if (++this.unsortedAdds > 500) {
      this.sortedTerms = undefined;
      return;
    }
    this.sortedTerms.splice(lowerBound(this.sortedTerms, term), 0, term);
  }

  private addPosting(f: number, termId: number, posting: number): void {
    const n = this.postingCount[f][termId];
    let list = this.postings[f][termId];
    if (!list || n === list.length) {
      const next = new Int32Array(n ? n * 2 : 2);
      if (list) next.set(list);
      list = this.postings[f][termId] = next;
    }
    list[n] = posting;
    this.postingCount[f][termId] = n + 1;
  }

  private ensureSlots(n: number): void {
    if (n > this.lengths[0].length) this.lengths = this.lengths.map(a => grow(a, n));
  }

  /** Drops postings of removed documents and makes their slots reusable. */
  private compact(): void {
    for (let f = 0; f < FIELDS; f++) {
      this.postings[f].forEach((list, termId) => {
        if (!list) return;
        let w = 0;
        const n = this.postingCount[f][termId];
        for (let r = 0; r < n; r++) if (this.ids[list[r] >>> TF_BITS] !== undefined) list[w++] = list[r];
        this.postingCount[f][termId] = w;
      });
    }
    this.free = [];
    for (let s = this.ids.length - 1; s >= 0; s--) if (this.ids[s] === undefined) this.free.push(s);
    this.dead = 0;
  }

  // ------------------------------------------------------------ searching

  /**
   * Query terms and their weights. Terms found in more than 30% of the documents (`wayne`, `models`, `stg` in a
   * dbt project) are skipped: BM25 gives them almost no weight, yet their postings were most of a query's time.
   * The rarest is kept when all are frequent. The last word, as typed, also matches as a prefix.
   */
  private queryTerms(terms: string[], lastWord: string): Map<number, number> {
    const n = this.slotOf.size;
    const limit = n < 50 ? Infinity : n * FREQUENT; // in tiny indexes every term is "frequent"
    const known = terms.map(t => ({ t, id: this.termIds.get(t), df: this.docFreq(this.termIds.get(t)) }));
    let kept = known.filter(x => x.id !== undefined && (known.length < 2 || x.df <= limit));
    if (!kept.length) {
      const present = known.filter(x => x.id !== undefined).sort((a, b) => a.df - b.df);
      kept = present.slice(0, 1);
    }
    const out = new Map<number, number>();
    for (const x of kept) out.set(x.id!, 1);
    if (lastWord.length >= 3 && terms.includes(lastWord)) {
      for (const t of this.expand(lastWord)) {
        const id = this.termIds.get(t)!;
        if (!out.has(id) && this.docFreq(id) <= limit) out.set(id, PREFIX_WEIGHT);
      }
    }
    return out;
  }

  private docFreq(id: number | undefined): number {
    return id === undefined ? 0 : Math.max(this.df[0][id], this.df[1][id]);
  }

  /** Indexed terms that start with prefix (the prefix itself excluded), at most MAX_EXPANSIONS. */
  private expand(prefix: string): string[] {
    if (!this.sortedTerms) {
      this.sortedTerms = this.terms.slice().sort();
      this.unsortedAdds = 0;
    }
    const sorted = this.sortedTerms;
    const out: string[] = [];
    for (let i = lowerBound(sorted, prefix); i < sorted.length && out.length < MAX_EXPANSIONS && sorted[i].startsWith(prefix); i++) {
      if (sorted[i] !== prefix) out.push(sorted[i]);
    }
    return out;
  }

  private scoreTerm(termId: number, f: number, weight: number, scores: Float32Array, touched: number[]): void {
    const list = this.postings[f][termId];
    const count = this.postingCount[f][termId];
    const df = this.df[f][termId];
    if (!list || df <= 0) return;
    const n = this.slotOf.size;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const avg = this.totalLength[f] / n || 1;
    const lengths = this.lengths[f];
    for (let r = 0; r < count; r++) {
      const slot = list[r] >>> TF_BITS;
      if (this.ids[slot] === undefined) continue;
      const tf = list[r] & TF_MAX;
      const s = weight * idf * (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * lengths[slot]) / avg));
      if (scores[slot] === 0) touched.push(slot);
      scores[slot] += s;
    }
  }
}

/** First index whose entry is >= key. */
function lowerBound(sorted: string[], key: string): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < key) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function grow<T extends Int32Array | Float32Array>(a: T, min: number): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(min, a.length * 2));
  next.set(a);
  return next;
}
