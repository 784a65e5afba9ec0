// Keyword terms shared by both keyword indexes. Identifier-aware: `stg_customer_orders`, `raw.jaffle_shop.customers`
// and `customerId` are kept whole AND split into their parts, so both the exact name and its words find a document.
// English and SQL stop words are dropped: they carry no meaning here and their long posting lists made queries
// ~8× slower at 50k documents.
import { subTokens } from './embeddings/hashed';

export const WORD_RE = /[A-Za-z0-9_\u00C0-\uFFFF]+(?:\.[A-Za-z0-9_\u00C0-\uFFFF]+)*/g;

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

const SIMPLE_RE = /^[a-z0-9]+$/;
const MEMO_LIMIT = 30_000;
// Identifiers repeat heavily across SQL and YAML; splitting each distinct word once makes indexing ~3× faster.
const memo = new Map<string, readonly string[]>();

/** Lowercased index terms of a text: each word/identifier whole, plus its parts when it has several. */
export function keywordTokens(text: string): string[] {
  const out: string[] = [];
  const words = text.match(WORD_RE);
  if (!words) return out;
  for (const w of words) {
    if (SIMPLE_RE.test(w)) {
      if (w.length > 1 && !STOP_WORDS.has(w)) out.push(w);
      continue;
    }
    let terms = memo.get(w);
    if (!terms) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      terms = wordTerms(w);
      memo.set(w, terms);
    }
    for (const t of terms) out.push(t);
  }
  return out;
}

/** Terms of one word: its parts (when several) and the word itself, lowercased, stop words removed. */
export function wordTerms(word: string): string[] {
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
