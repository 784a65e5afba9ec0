// A SQL tokenizer that knows where strings, quoted identifiers and comments start and end in DuckDB and
// Snowflake, so statement splitting, keyword scans and limit wrapping never look inside them.
export type SqlDialect = 'duckdb' | 'snowflake';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'comment' | 'param' | 'punct';

export interface Token {
  kind: TokenKind;
  /** The token as written (for words: as written, compare with `upper`). */
  text: string;
  start: number;
  end: number;
  /** Words only: the keyword form. */
  upper?: string;
}

export interface TokenizeResult {
  tokens: Token[];
  /** Set when the text cannot be tokenized (an unterminated string, identifier or comment). */
  error?: string;
}

/** Lexical choices that differ between engines and versions; the defaults follow the dialect. */
export interface Lexing {
  /** `\'` escapes a quote inside '…' (Snowflake: yes; DuckDB: only in E'…'). */
  backslashEscapes?: boolean;
  /** /* … /* … *\/ … *\/ nests (DuckDB: yes; Snowflake: no). */
  nestedComments?: boolean;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
/** Longest operators first. */
const OPERATORS = ['->>', '::', '=>', '->', '<=', '>=', '<>', '!=', '||', '**', '//', '<<', '>>', '==', '^@', '@>', '<@', '&&'];

/**
 * Splits `sql` into tokens (whitespace dropped, comments kept as tokens).
 * DuckDB: '…' with '' (E'…' also with backslash escapes), $tag$…$tag$, "…", -- and nested /* *\/ comments.
 * Snowflake: '…' with '' and backslash escapes, $$…$$, "…", --, // and /* *\/ comments (not nested).
 */
export function tokenize(sql: string, dialect: SqlDialect, lexing: Lexing = {}): TokenizeResult {
  const backslash = lexing.backslashEscapes ?? dialect === 'snowflake';
  const nested = lexing.nestedComments ?? dialect === 'duckdb';
  const tokens: Token[] = [];
  let i = 0;
  const fail = (what: string, at: number): TokenizeResult => ({ tokens, error: `${what} starting at ${position(sql, at)} is never closed` });
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if ((c === '-' && next === '-') || (dialect === 'snowflake' && c === '/' && next === '/')) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
      tokens.push({ kind: 'comment', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === '/' && next === '*') {
      const end = blockCommentEnd(sql, i, nested);
      if (end < 0) return fail('A /* comment', start);
      i = end;
      tokens.push({ kind: 'comment', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === "'" || ((c === 'E' || c === 'e') && next === "'" && dialect === 'duckdb')) {
      const quoteAt = c === "'" ? i : i + 1;
      const end = stringEnd(sql, quoteAt, backslash || quoteAt !== i);
      if (end < 0) return fail('A string', start);
      i = end;
      tokens.push({ kind: 'string', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"' || (c === '`' && dialect === 'duckdb')) {
      const end = quotedEnd(sql, i, c);
      if (end < 0) return fail('A quoted identifier', start);
      i = end;
      tokens.push({ kind: 'quoted', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === '$') {
      const tag = dollarTag(sql, i, dialect);
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        if (close < 0) return fail(`A ${tag}-quoted string`, start);
        i = close + tag.length;
        tokens.push({ kind: 'string', text: sql.slice(start, i), start, end: i });
        continue;
      }
      // $1 positional column / parameter, $name session variable
      i++;
      while (i < sql.length && WORD_PART.test(sql[i])) i++;
      tokens.push({ kind: 'param', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      i = numberEnd(sql, i);
      tokens.push({ kind: 'number', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (WORD_START.test(c)) {
      while (i < sql.length && WORD_PART.test(sql[i])) i++;
      const text = sql.slice(start, i);
      tokens.push({ kind: 'word', text, start, end: i, upper: text.toUpperCase() });
      continue;
    }
    if (c === '?') { i++; tokens.push({ kind: 'param', text: '?', start, end: i }); continue; }
    const op = OPERATORS.find(o => sql.startsWith(o, i));
    i += op ? op.length : 1;
    tokens.push({ kind: 'punct', text: sql.slice(start, i), start, end: i });
  }
  return { tokens };
}

/** "line L, column C" of an offset, for messages. */
export function position(sql: string, offset: number): string {
  const before = sql.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function blockCommentEnd(sql: string, i: number, nested: boolean): number {
  let depth = 0;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) { depth = nested ? depth + 1 : 1; i += 2; continue; }
    if (sql.startsWith('*/', i)) { depth--; i += 2; if (depth === 0) return i; continue; }
    i++;
  }
  return -1;
}

/** End (exclusive) of the string whose opening quote is at `i`; '' is a quote, and with `backslash`, \x escapes x. */
function stringEnd(sql: string, i: number, backslash: boolean): number {
  for (let j = i + 1; j < sql.length; j++) {
    if (backslash && sql[j] === '\\') { j++; continue; }
    if (sql[j] === "'") {
      if (sql[j + 1] === "'") { j++; continue; }
      return j + 1;
    }
  }
  return -1;
}

function quotedEnd(sql: string, i: number, q: string): number {
  for (let j = i + 1; j < sql.length; j++) {
    if (sql[j] === q) {
      if (sql[j + 1] === q) { j++; continue; }
      return j + 1;
    }
  }
  return -1;
}

/** `$$` (both dialects) or `$tag$` (DuckDB) at `i`, else undefined (a `$1` or `$name`). */
function dollarTag(sql: string, i: number, dialect: SqlDialect): string | undefined {
  if (sql[i + 1] === '$') return '$$';
  if (dialect !== 'duckdb') return undefined;
  const m = /^\$[A-Za-z_][A-Za-z0-9_]*\$/.exec(sql.slice(i, i + 64));
  return m?.[0];
}

function numberEnd(sql: string, i: number): number {
  const m = /^(0x[0-9a-f_]+|[0-9_]*\.?[0-9_]*(e[+-]?[0-9]+)?)/i.exec(sql.slice(i));
  return i + Math.max(1, m?.[0].length ?? 1);
}

/** Tokens that carry meaning (comments dropped). */
export function significant(tokens: Token[]): Token[] {
  return tokens.filter(t => t.kind !== 'comment');
}

/**
 * Splits tokens into statements at `;`, and for Snowflake also at its `->>` flow operator, which chains
 * statements (in DuckDB `->>` is JSON extraction). Statements holding only comments are dropped.
 */
export function splitStatements(tokens: Token[], dialect: SqlDialect): Token[][] {
  const out: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'punct' && (t.text === ';' || (t.text === '->>' && dialect === 'snowflake'))) { out.push([]); continue; }
    out[out.length - 1].push(t);
  }
  return out.filter(s => significant(s).length > 0);
}
