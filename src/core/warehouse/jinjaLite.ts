// A deliberately tiny Jinja subset: enough to render dbt models that only use ref/source/config/var/this,
// `if is_incremental()` blocks and simple project macros, and profiles.yml's env_var(). Anything else is
// reported as unsupported (JinjaError) so the caller can say which construct stopped it.

/** Relation or other text that renders as-is. */
export type JinjaValue = string | number | boolean | null | undefined;

export class JinjaError extends Error {}

export interface JinjaContext {
  /** Value of a name (`this`, a macro argument); throw JinjaError when unknown. */
  lookup(path: string[]): JinjaValue;
  /** Result of a call such as `ref('x')`; throw JinjaError when unsupported. */
  call(path: string[], args: JinjaValue[], kwargs: Record<string, JinjaValue>): JinjaValue;
}

// ---------------------------------------------------------------- template tokens

interface TextToken { kind: 'text'; text: string }
interface TagToken {
  kind: 'expr' | 'stmt';
  inner: string;
  /** Offsets of the whole tag in the source. */
  start: number;
  end: number;
  trimLeft: boolean;
  trimRight: boolean;
}
type Token = TextToken | TagToken;

/** Index just past the closing delimiter, skipping quoted strings; -1 when unterminated. */
function findClose(src: string, from: number, close: string): number {
  let quote = '';
  for (let i = from; i < src.length; i++) {
    const ch = src[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (src.startsWith(close, i)) return i + close.length;
  }
  return -1;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const opener = /\{[{%#]/g;
  while (pos < src.length) {
    opener.lastIndex = pos;
    const start = opener.exec(src)?.index ?? -1;
    if (start < 0) { tokens.push({ kind: 'text', text: src.slice(pos) }); break; }
    if (start > pos) tokens.push({ kind: 'text', text: src.slice(pos, start) });
    const type = src[start + 1];
    const close = type === '{' ? '}}' : type === '%' ? '%}' : '#}';
    const end = type === '#' ? src.indexOf('#}', start + 2) + 2 : findClose(src, start + 2, close);
    if (end < 2) throw new JinjaError(`unterminated '{${type}' tag at offset ${start}`);
    if (type !== '#') {
      let inner = src.slice(start + 2, end - 2);
      const trimLeft = inner.startsWith('-');
      const trimRight = inner.endsWith('-');
      inner = inner.slice(trimLeft ? 1 : 0, trimRight ? -1 : undefined).replace(/^\+|\+$/g, '').trim();
      tokens.push({ kind: type === '{' ? 'expr' : 'stmt', inner, start, end, trimLeft, trimRight });
    }
    pos = end;
  }
  applyWhitespaceControl(tokens);
  return tokens;
}

/** `{%-` / `-%}` strip the whitespace before / after the tag, as Jinja does. */
function applyWhitespaceControl(tokens: Token[]): void {
  tokens.forEach((t, i) => {
    if (t.kind === 'text') return;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (t.trimLeft && prev?.kind === 'text') prev.text = prev.text.trimEnd();
    if (t.trimRight && next?.kind === 'text') next.text = next.text.trimStart();
  });
}

// ---------------------------------------------------------------- expressions

type Expr =
  | { k: 'lit'; v: JinjaValue }
  | { k: 'name'; path: string[] }
  | { k: 'call'; path: string[]; args: Expr[]; kwargs: [string, Expr][] }
  | { k: 'not'; e: Expr }
  | { k: 'filter'; e: Expr; name: string; args: Expr[] }
  | { k: 'test'; e: Expr; name: string; negate: boolean };

const TOKEN_RE = /\s*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(-?\d+(?:\.\d+)?)|([A-Za-z_]\w*)|([(),=.|])|(\S))/y;

interface ExprToken { t: 'str' | 'num' | 'id' | 'p'; v: string }

function lexExpr(text: string): ExprToken[] {
  const out: ExprToken[] = [];
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN_RE.lastIndex < text.length && (m = TOKEN_RE.exec(text))) {
    if (m[1]) out.push({ t: 'str', v: unquote(m[1]) });
    else if (m[2]) out.push({ t: 'num', v: m[2] });
    else if (m[3]) out.push({ t: 'id', v: m[3] });
    else if (m[4]) out.push({ t: 'p', v: m[4] });
    else if (m[5]) throw new JinjaError(`the operator '${m[5]}' in \`${text}\` is not supported`);
    else break; // trailing whitespace
  }
  return out;
}

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' } as Record<string, string>)[c] ?? c);
}

const LITERALS: Record<string, JinjaValue> = { true: true, True: true, false: false, False: false, none: null, None: null };

class ExprParser {
  private i = 0;
  constructor(private readonly toks: ExprToken[], private readonly text: string) {}

  parseAll(): Expr {
    const e = this.expr();
    if (this.i < this.toks.length) this.fail(`unexpected '${this.toks[this.i].v}'`);
    return e;
  }

  /** `name(=default)?, ...` of a macro signature. */
  parseParams(): { name: string; def?: Expr }[] {
    const params: { name: string; def?: Expr }[] = [];
    while (this.i < this.toks.length) {
      const name = this.take('id').v;
      const def = this.peek('=') ? (this.i++, this.expr()) : undefined;
      params.push({ name, def });
      if (!this.peek(',')) break;
      this.i++;
    }
    if (this.i < this.toks.length) this.fail(`unexpected '${this.toks[this.i].v}'`);
    return params;
  }

  private expr(): Expr {
    if (this.toks[this.i]?.t === 'id' && this.toks[this.i].v === 'not') { this.i++; return { k: 'not', e: this.expr() }; }
    let e = this.postfix();
    while (this.peek('|')) {
      this.i++;
      const name = this.take('id').v;
      const args = this.peek('(') ? this.argList().args : [];
      e = { k: 'filter', e, name, args };
    }
    if (this.toks[this.i]?.t === 'id' && this.toks[this.i].v === 'is') {
      this.i++;
      const negate = this.toks[this.i]?.v === 'not';
      if (negate) this.i++;
      e = { k: 'test', e, name: this.take('id').v, negate };
    }
    return e;
  }

  private postfix(): Expr {
    const t = this.toks[this.i++];
    if (!t) this.fail('missing value');
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'num') return { k: 'lit', v: Number(t.v) };
    if (t.t === 'p' && t.v === '(') { const e = this.expr(); this.take('p', ')'); return e; }
    if (t.t !== 'id') this.fail(`unexpected '${t.v}'`);
    if (t.v in LITERALS) return { k: 'lit', v: LITERALS[t.v] };
    const path = [t.v];
    while (this.peek('.')) { this.i++; path.push(this.take('id').v); }
    if (!this.peek('(')) return { k: 'name', path };
    const { args, kwargs } = this.argList();
    if (this.peek('(') || this.peek('.')) this.fail('chained calls are not supported');
    return { k: 'call', path, args, kwargs };
  }

  private argList(): { args: Expr[]; kwargs: [string, Expr][] } {
    this.take('p', '(');
    const args: Expr[] = [];
    const kwargs: [string, Expr][] = [];
    while (!this.peek(')')) {
      const t = this.toks[this.i];
      if (t?.t === 'id' && this.toks[this.i + 1]?.v === '=') { this.i += 2; kwargs.push([t.v, this.expr()]); }
      else args.push(this.expr());
      if (!this.peek(',')) break;
      this.i++;
    }
    this.take('p', ')');
    return { args, kwargs };
  }

  private peek(p: string): boolean {
    const t = this.toks[this.i];
    return !!t && t.t === 'p' && t.v === p;
  }

  private take(t: ExprToken['t'], v?: string): ExprToken {
    const tok = this.toks[this.i];
    if (!tok || tok.t !== t || (v !== undefined && tok.v !== v)) this.fail(`expected '${v ?? t}'`);
    this.i++;
    return tok;
  }

  private fail(msg: string): never {
    throw new JinjaError(`cannot read \`${this.text}\`: ${msg}`);
  }
}

export function parseExpr(text: string): Expr {
  return new ExprParser(lexExpr(text), text).parseAll();
}

const FILTERS: Record<string, (v: JinjaValue) => JinjaValue> = {
  lower: v => toText(v).toLowerCase(),
  upper: v => toText(v).toUpperCase(),
  trim: v => toText(v).trim(),
  string: v => toText(v),
  as_text: v => toText(v),
  int: v => Math.trunc(Number(v)) || 0,
  float: v => Number(v) || 0,
  as_number: v => Number(v),
  as_bool: v => (typeof v === 'string' ? /^(true|1|yes)$/i.test(v.trim()) : Boolean(v)),
  as_native: v => asNative(v),
};

const TESTS: Record<string, (v: JinjaValue) => boolean> = {
  none: v => v === null,
  defined: v => v !== undefined,
  undefined: v => v === undefined,
  string: v => typeof v === 'string',
  number: v => typeof v === 'number',
};

function asNative(v: JinjaValue): JinjaValue {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (/^(true|false)$/i.test(s)) return s.toLowerCase() === 'true';
  return v;
}

export function evaluate(e: Expr, ctx: JinjaContext): JinjaValue {
  switch (e.k) {
    case 'lit': return e.v;
    case 'name': return ctx.lookup(e.path);
    case 'not': return !truthy(evaluate(e.e, ctx));
    case 'call': {
      const kwargs: Record<string, JinjaValue> = {};
      for (const [k, v] of e.kwargs) kwargs[k] = evaluate(v, ctx);
      return ctx.call(e.path, e.args.map(a => evaluate(a, ctx)), kwargs);
    }
    case 'test': {
      const t = TESTS[e.name];
      if (!t) throw new JinjaError(`the test 'is ${e.name}' is not supported`);
      return t(evaluate(e.e, ctx)) !== e.negate;
    }
    case 'filter': {
      const f = FILTERS[e.name];
      if (!f) throw new JinjaError(`the filter '| ${e.name}' is not supported`);
      return f(evaluate(e.e, ctx));
    }
  }
}

/** How Jinja prints a value (Python spelling for booleans and None; undefined prints nothing). */
export function toText(v: JinjaValue): string {
  if (v === undefined) return '';
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

function truthy(v: JinjaValue): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === '');
}

// ---------------------------------------------------------------- rendering

/** Renders a template; `if/elif/else/endif` and `raw` are the only statements understood. */
export function render(template: string, ctx: JinjaContext): string {
  const tokens = tokenize(template);
  let out = '';
  // One frame per open `if`: whether some branch was taken, and whether the current one is active.
  const stack: { taken: boolean; active: boolean }[] = [];
  const active = () => stack.every(f => f.active);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'text') { if (active()) out += t.text; continue; }
    if (t.kind === 'expr') { if (active()) out += toText(evaluate(parseExpr(t.inner), ctx)); continue; }
    const [word] = t.inner.split(/\s+/, 1);
    const rest = t.inner.slice(word.length).trim();
    if (word === 'if') {
      const on = active() && truthy(evaluate(parseExpr(rest), ctx));
      stack.push({ taken: on, active: on });
    } else if (word === 'elif' || word === 'else') {
      const f = stack[stack.length - 1];
      if (!f) throw new JinjaError(`'{% ${word} %}' without '{% if %}'`);
      const on = !f.taken && (word === 'else' || truthy(evaluateIfOuterActive(rest, ctx, stack)));
      f.active = on;
      f.taken ||= on;
    } else if (word === 'endif') {
      if (!stack.pop()) throw new JinjaError(`'{% endif %}' without '{% if %}'`);
    } else if (word === 'raw') {
      const endIdx = tokens.findIndex((x, j) => j > i && x.kind === 'stmt' && x.inner === 'endraw');
      if (endIdx < 0) throw new JinjaError(`'{% raw %}' without '{% endraw %}'`);
      if (active()) out += template.slice(t.end, (tokens[endIdx] as TagToken).start);
      i = endIdx;
    } else if (active()) {
      throw new JinjaError(`'{% ${word} %}' blocks are not supported`);
    } // statements inside a branch that does not render are skipped unread
  }
  if (stack.length) throw new JinjaError(`'{% if %}' without '{% endif %}'`);
  return out;
}

/** An `elif` condition is only evaluated when the enclosing blocks render (it may call unsupported things). */
function evaluateIfOuterActive(cond: string, ctx: JinjaContext, stack: { active: boolean }[]): JinjaValue {
  return stack.slice(0, -1).every(f => f.active) ? evaluate(parseExpr(cond), ctx) : false;
}

// ---------------------------------------------------------------- macros

export interface MacroParam { name: string; def?: Expr }

export interface MacroDef {
  name: string;
  params: MacroParam[];
  /** Template text of the body, whitespace control of the macro tags already applied. */
  body: string;
}

/** Finds `{% macro name(params) %}...{% endmacro %}` blocks. Unreadable signatures are skipped. */
export function extractMacros(src: string): MacroDef[] {
  const macros: MacroDef[] = [];
  let tokens: Token[];
  try { tokens = tokenize(src); } catch { return macros; }
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    if (open.kind !== 'stmt' || !/^macro\s/.test(open.inner)) continue;
    const close = tokens.findIndex((t, j) => j > i && t.kind === 'stmt' && /^endmacro\b/.test(t.inner));
    if (close < 0) break;
    const end = tokens[close] as TagToken;
    const sig = /^macro\s+([A-Za-z_]\w*)\s*\(([\s\S]*)\)\s*$/.exec(open.inner);
    if (sig) {
      let body = src.slice(open.end, end.start);
      if (open.trimRight) body = body.trimStart();
      if (end.trimLeft) body = body.trimEnd();
      try {
        macros.push({ name: sig[1], params: new ExprParser(lexExpr(sig[2]), sig[2]).parseParams(), body });
      } catch { /* a signature we cannot read: calls to it will be reported as unknown */ }
    }
    i = close;
  }
  return macros;
}

/** Binds call arguments to a macro's parameters (positional, keyword, then defaults). */
export function bindMacroArgs(m: MacroDef, args: JinjaValue[], kwargs: Record<string, JinjaValue>, ctx: JinjaContext): Record<string, JinjaValue> {
  if (args.length > m.params.length) throw new JinjaError(`${m.name}() takes ${m.params.length} arguments, got ${args.length}`);
  const scope: Record<string, JinjaValue> = {};
  m.params.forEach((p, idx) => {
    if (idx < args.length) scope[p.name] = args[idx];
    else if (p.name in kwargs) scope[p.name] = kwargs[p.name];
    else if (p.def) scope[p.name] = evaluate(p.def, ctx);
    else throw new JinjaError(`${m.name}() is missing the argument '${p.name}'`);
  });
  for (const k of Object.keys(kwargs)) {
    if (!m.params.some(p => p.name === k)) throw new JinjaError(`${m.name}() has no argument '${k}'`);
  }
  return scope;
}
