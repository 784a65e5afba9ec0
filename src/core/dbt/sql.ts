// Light SQL reading on Jinja-free text (see JinjaScan.sql): the CTE names a query declares.

type Tok = { t: 'word' | 'punct'; v: string };

/** One lexeme per match: whitespace, comments, strings, quoted identifiers, words, punctuation. The unterminated
 *  forms (`'abc` to the end) keep a broken file from stalling the scan. */
const LEXEME = /\s+|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|'(?:[^'\\]|\\[\s\S]|'')*(?:'|$)|"((?:[^"]|"")*)(?:"|$)|`([^`]*)(?:`|$)|([A-Za-z_][\w$]*)|([(),])|\d[\w.]*|[\s\S]/y;

/** Tokens that matter for CTE detection: words (bare or quoted identifiers) and ( ) , — comments and strings dropped. */
function tokenize(sql: string): Tok[] {
  const toks: Tok[] = [];
  LEXEME.lastIndex = 0;
  for (let m = LEXEME.exec(sql); m; m = LEXEME.exec(sql)) {
    const word = m[3] ?? m[1] ?? m[2];
    if (word !== undefined) toks.push({ t: 'word', v: word });
    else if (m[4]) toks.push({ t: 'punct', v: m[4] });
    else if (m[0].length === 1 && !/\s/.test(m[0]) && m[0] !== "'") toks.push({ t: 'punct', v: m[0] });
    if (LEXEME.lastIndex >= sql.length) break;
  }
  return toks;
}

const isWord = (tok: Tok | undefined, w: string): boolean => tok?.t === 'word' && tok.v.toLowerCase() === w;
const isPunct = (tok: Tok | undefined, p: string): boolean => tok?.t === 'punct' && tok.v === p;

/** Index of the ')' closing the '(' at `open`, or -1. */
function closeParen(toks: Tok[], open: number): number {
  let depth = 0;
  for (let k = open; k < toks.length; k++) {
    if (isPunct(toks[k], '(')) depth++;
    else if (isPunct(toks[k], ')') && --depth === 0) return k;
  }
  return -1;
}

/**
 * Names of the CTEs declared by `with [recursive] a as (...), b (cols) as [not] materialized (...)`, in order of
 * appearance, including CTEs of nested WITH clauses. `skip` names placeholders that are not real names.
 */
export function findCtes(sql: string, skip: ReadonlySet<string> = new Set()): string[] {
  if (!/\bwith\b/i.test(sql)) return [];
  const toks = tokenize(sql);
  const names: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (!isWord(toks[i], 'with')) continue;
    let k = i + 1;
    if (isWord(toks[k], 'recursive')) k++;
    for (;;) {
      const name = toks[k];
      if (name?.t !== 'word') break;
      k++;
      if (isPunct(toks[k], '(')) { // column list
        const e = closeParen(toks, k);
        if (e < 0) break;
        k = e + 1;
      }
      if (!isWord(toks[k], 'as')) break;
      k++;
      if (isWord(toks[k], 'not')) k++;
      if (isWord(toks[k], 'materialized')) k++;
      if (!isPunct(toks[k], '(')) break;
      const e = closeParen(toks, k);
      if (!skip.has(name.v)) names.push(name.v);
      if (e < 0 || !isPunct(toks[e + 1], ',')) break;
      k = e + 2;
    }
  }
  return [...new Set(names)];
}
