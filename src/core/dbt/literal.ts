// Reading the arguments of a Jinja or Python call without evaluating anything: literals (strings, numbers,
// booleans, None, lists, tuples, dicts) become values; anything else is kept as its source text.

/** One argument of a call: a literal value, or the raw expression text when it is not a literal. */
export type ArgValue =
  | { literal: true; value: unknown; text: string }
  | { literal: false; text: string };

export interface CallArgs {
  positional: ArgValue[];
  kwargs: Record<string, ArgValue>;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Index just past the string literal starting at `i` (a quote char), or -1 when it never ends.
 *  Handles backslash escapes and Python triple quotes; gives up (-1) at `limit`. */
export function stringEnd(src: string, i: number, limit = src.length): number {
  const q = src[i];
  const close = src.startsWith(q + q + q, i) ? q + q + q : q;
  let j = i + close.length;
  const end = Math.min(limit, src.length);
  while (j < end) {
    if (src[j] === '\\') { j += 2; continue; }
    if (src.startsWith(close, j)) return j + close.length;
    j++;
  }
  return -1;
}

/** Like stringEnd, but an unterminated string runs to the end of `src`. */
export function skipString(src: string, i: number): number {
  const end = stringEnd(src, i);
  return end < 0 ? src.length : end;
}

/** Index of the bracket closing the one at `open`, or -1 when it is never closed. */
export function matchBracket(src: string, open: number): number {
  const stack: string[] = [];
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'") { i = skipString(src, i) - 1; continue; }
    if (OPEN[c]) stack.push(OPEN[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return -1;
      if (!stack.length) return i;
    }
  }
  return -1;
}

/** Splits `src` at top-level commas (outside strings and brackets). */
export function splitTopLevel(src: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'") { i = skipString(src, i) - 1; continue; }
    if (OPEN[c]) depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) { parts.push(src.slice(start, i)); start = i + 1; }
  }
  parts.push(src.slice(start));
  return parts;
}

/** Parses the argument list of a call whose '(' is at `open`. Undefined when the parenthesis never closes. */
export function parseCallArgs(src: string, open: number): { args: CallArgs; end: number } | undefined {
  const close = matchBracket(src, open);
  if (close < 0) return undefined;
  const args: CallArgs = { positional: [], kwargs: {} };
  const inner = src.slice(open + 1, close);
  if (!inner.trim()) return { args, end: close + 1 };
  for (const part of splitTopLevel(inner)) {
    const text = part.trim();
    if (!text) continue; // trailing comma
    const kw = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(text);
    if (kw) args.kwargs[kw[1]] = toArg(text.slice(kw[0].length).trim());
    else args.positional.push(toArg(text));
  }
  return { args, end: close + 1 };
}

function toArg(text: string): ArgValue {
  const r = parseLiteral(text);
  return r.ok ? { literal: true, value: r.value, text } : { literal: false, text };
}

/** The value of an argument as dbt would most likely see it: the literal, else the raw text. */
export function argValue(a: ArgValue | undefined): unknown {
  if (!a) return undefined;
  return a.literal ? a.value : a.text;
}

/** The argument as a string when it is a string literal (or a number, for versions). */
export function argString(a: ArgValue | undefined): string | undefined {
  if (!a || !a.literal) return undefined;
  if (typeof a.value === 'string') return a.value;
  if (typeof a.value === 'number') return String(a.value);
  return undefined;
}

// ---------------------------------------------------------------- literal parser

type Parsed = { ok: true; value: unknown } | { ok: false };

const KEYWORDS: Record<string, unknown> = {
  True: true, true: true, False: false, false: false, None: null, none: null, null: null,
};

/** Parses a whole Python/Jinja literal expression; `{ ok: false }` when it is anything else. */
export function parseLiteral(text: string): Parsed {
  const p = new LiteralParser(text);
  try {
    const value = p.value();
    p.ws();
    return p.done() ? { ok: true, value } : { ok: false };
  } catch {
    return { ok: false };
  }
}

class NotLiteral extends Error {}

class LiteralParser {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean { return this.i >= this.s.length; }

  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) throw new NotLiteral();
    if (c === '"' || c === "'") return this.string();
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.sequence(')');
    if (c === '{') return this.dict();
    if (/[-+\d.]/.test(c)) return this.number();
    const word = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i));
    if (word && word[0] in KEYWORDS) {
      this.i += word[0].length;
      return KEYWORDS[word[0]];
    }
    throw new NotLiteral();
  }

  private string(): string {
    let out = '';
    // Adjacent literals concatenate in Python ('a' 'b').
    while (this.s[this.i] === '"' || this.s[this.i] === "'") {
      const end = stringEnd(this.s, this.i);
      if (end < 0) throw new NotLiteral();
      const q = this.s[this.i];
      const qlen = this.s.startsWith(q + q + q, this.i) && end - this.i >= 6 ? 3 : 1;
      out += unescape(this.s.slice(this.i + qlen, end - qlen));
      this.i = end;
      this.ws();
    }
    return out;
  }

  private number(): number {
    const m = /^[-+]?(\d[\d_]*)?(\.\d+)?([eE][-+]?\d+)?/.exec(this.s.slice(this.i));
    if (!m || !m[0] || m[0] === '-' || m[0] === '+') throw new NotLiteral();
    this.i += m[0].length;
    const n = Number(m[0].replace(/_/g, ''));
    if (Number.isNaN(n)) throw new NotLiteral();
    return n;
  }

  private sequence(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) { this.i++; return out; }
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw new NotLiteral();
    }
  }

  private dict(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') { this.i++; return out; }
      const key = this.value();
      this.ws();
      if (this.s[this.i] !== ':') throw new NotLiteral();
      this.i++;
      out[String(key)] = this.value();
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new NotLiteral();
    }
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.)/gs, (_m, c: string) => ESCAPES[c] ?? '\\' + c);
}
