// Light SQL reading on Jinja-free text (see JinjaScan.sql): the CTE names a query declares.

type Tok = { t: 'word' | 'punct'; v: string };

/** Tokens that matter for CTE detection: words (bare or quoted identifiers) and ( ) , — comments and strings dropped. */
function tokenize(sql: string): Tok[] {
  const toks: Tok[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === "'") {
      i = skipQuoted(sql, i, "'");
    } else if (c === '"' || c === '`') {
      const e = skipQuoted(sql, i, c);
      toks.push({ t: 'word', v: sql.slice(i + 1, e - 1) });
      i = e;
    } else if (c === '(' || c === ')' || c === ',') {
      toks.push({ t: 'punct', v: c });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let e = i + 1;
      while (e < n && /[\w$]/.test(sql[e])) e++;
      toks.push({ t: 'word', v: sql.slice(i, e) });
      i = e;
    } else {
      if (!/\s/.test(c)) toks.push({ t: 'punct', v: c });
      i++;
    }
  }
  return toks;
}

/** Index just past a quoted run starting at `i`; doubled quotes and backslashes escape. */
function skipQuoted(sql: string, i: number, q: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === '\\' && q === "'") { j += 2; continue; }
    if (sql[j] === q) {
      if (sql[j + 1] === q) { j += 2; continue; }
      return j + 1;
    }
    j++;
  }
  return sql.length;
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
