// HashedEmbedder ('hashed-ngram-v1'): the weight-free fallback used when no neural model can be loaded.
//
// A text becomes a bag of features, each hashed into one of 384 signed dimensions ("feature hashing"):
//   - word tokens: runs of letters/digits/underscores, dots joining them into one identifier
//     (`raw.jaffle_shop.customers` is one token);
//   - whole-word feature (weight 2.5): the lowercased token as written, so exact identifiers match strongly;
//   - sub-token features (weight 1.5): the token split at dots, underscores, camelCase humps and letter/digit
//     boundaries (`stgCustomerOrders` -> stg, customer, orders), so `customer_orders` meets "customer orders";
//   - character 3-, 4- and 5-grams (weight 1) of each lowercased sub-token with boundary markers (`<order>`),
//     so inflections and typos still overlap (orders / order, cust / customer).
// Each feature adds its weight, with a sign taken from its hash (signed hashing keeps collisions unbiased), to
// one bucket. A word occurring c times in the text contributes its features × (1 + ln c) (sublinear tf, per
// word); the vector is then L2-normalised. A word's bucket weights are computed once and cached (bounded),
// since identifiers repeat across documents: ~3× faster on SQL-heavy text.
// Deterministic (the cache only memoises a pure function). A text with no word yields the zero vector (cosine 0
// with everything). No semantic knowledge: it finds paraphrases only through shared words and word pieces.
import type { Embedder, EmbedderStatus } from '../types';

export const HASHED_EMBEDDER_ID = 'hashed-ngram-v1';
export const HASHED_DIMS = 384;

const TOKEN_RE = /[A-Za-z0-9_\u00C0-\uFFFF]+(?:\.[A-Za-z0-9_\u00C0-\uFFFF]+)*/g;
const SUBTOKEN_RE = /[A-Z]+(?![a-z])|[A-Z]?[a-z\u00C0-\uFFFF]+|[0-9]+/g;

const SEED_WORD = 0x9e3779b1;
const SEED_SUB = 0x85ebca6b;
const SEED_GRAM = 0xc2b2ae35;
const W_WORD = 2.5;
const W_SUB = 1.5;
const W_GRAM = 1;

/** Splits an identifier at dots, underscores, camelCase humps and digit runs; parts are lowercased. */
export function subTokens(token: string): string[] {
  const out: string[] = [];
  for (const piece of token.split(/[._]+/)) {
    if (!piece) continue;
    const m = piece.match(SUBTOKEN_RE);
    if (!m) out.push(piece.toLowerCase());
    else for (const p of m) out.push(p.toLowerCase());
  }
  return out;
}

function fnv(seed: number, s: string, from: number, to: number): number {
  let h = seed >>> 0;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** murmur3 finaliser: spreads FNV's weak low bits before taking a bucket and a sign. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One word's features folded into signed bucket weights: computed once per distinct word, then reused. */
interface WordVector {
  idx: Uint16Array;
  val: Float32Array;
}

const CACHE_LIMIT = 50_000;
const wordCache = new Map<string, WordVector>();
let scratch = new Float32Array(HASHED_DIMS);

function addFeature(v: Float32Array, key: number, weight: number): void {
  const h = mix(key);
  v[h % v.length] += h & 0x80000000 ? -weight : weight;
}

function wordVector(token: string, dims: number): WordVector {
  const cached = dims === HASHED_DIMS ? wordCache.get(token) : undefined;
  if (cached) return cached;
  if (scratch.length !== dims) scratch = new Float32Array(dims);
  const v = scratch.fill(0);
  const lower = token.toLowerCase();
  addFeature(v, fnv(SEED_WORD, lower, 0, lower.length), W_WORD);
  const parts = subTokens(token);
  for (const p of parts) {
    if (parts.length > 1) addFeature(v, fnv(SEED_SUB, p, 0, p.length), W_SUB);
    const w = `<${p}>`;
    for (let n = 3; n <= 5 && n <= w.length; n++) {
      for (let i = 0; i + n <= w.length; i++) addFeature(v, fnv(SEED_GRAM, w, i, i + n), W_GRAM);
    }
  }
  let nz = 0;
  for (let i = 0; i < dims; i++) if (v[i] !== 0) nz++;
  const out: WordVector = { idx: new Uint16Array(nz), val: new Float32Array(nz) };
  for (let i = 0, j = 0; i < dims; i++) if (v[i] !== 0) { out.idx[j] = i; out.val[j++] = v[i]; }
  if (dims === HASHED_DIMS) {
    if (wordCache.size >= CACHE_LIMIT) wordCache.clear();
    wordCache.set(token, out);
  }
  return out;
}

/** Embeds one text into `out` (length dims), unit length or all zeros. */
export function hashedVector(text: string, dims = HASHED_DIMS, out = new Float32Array(dims)): Float32Array {
  const counts = new Map<string, number>();
  for (const token of text.match(TOKEN_RE) ?? []) counts.set(token, (counts.get(token) ?? 0) + 1);
  for (const [token, c] of counts) {
    const wv = wordVector(token, dims);
    const w = 1 + Math.log(c);
    for (let i = 0; i < wv.idx.length; i++) out[wv.idx[i]] += w * wv.val[i];
  }
  return normalize(out);
}

function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  if (s === 0) return v;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}

export class HashedEmbedder implements Embedder {
  readonly id = HASHED_EMBEDDER_ID;
  readonly dims = HASHED_DIMS;

  /** @param reason why the neural model is not in use (shown in status) */
  constructor(private readonly reason?: string) {}

  status(): EmbedderStatus {
    return { kind: 'hashed', model: this.id, dims: this.dims, reason: this.reason };
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map(t => hashedVector(t, this.dims));
  }

  async dispose(): Promise<void> {
    // nothing to release
  }
}
