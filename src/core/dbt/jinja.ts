// A tolerant Jinja scanner for dbt files: finds `{{ }}` and `{% %}` tags, drops `{# #}` comments, keeps
// `{% raw %}` content as plain text, pairs block tags, and finds the calls made inside tags.
// It never throws: malformed Jinja becomes a problem with a line, and scanning goes on after it.

import { LineIndex } from './lines';
import { CallArgs, parseCallArgs, skipString, stringEnd } from './literal';

export interface JinjaTag {
  kind: 'expr' | 'stmt';
  /** Text between the delimiters, without whitespace-control marks, trimmed. */
  body: string;
  /** Offset of '{{' / '{%' in the source. */
  start: number;
  /** Offset just past '}}' / '%}'. */
  end: number;
  line: number;
  endLine: number;
  /** First word of a statement tag (if, for, set, macro, endmacro, ...); never set on partial tags. */
  keyword?: string;
  /** An unclosed tag: `body` runs to the next tag opener (or the end of the file). */
  partial?: boolean;
}

export interface JinjaBlock {
  keyword: string;
  open: JinjaTag;
  /** Missing when the block is never closed (a problem is reported). */
  close?: JinjaTag;
}

export interface JinjaProblem {
  line: number;
  message: string;
}

export interface JinjaScan {
  tags: JinjaTag[];
  blocks: JinjaBlock[];
  problems: JinjaProblem[];
  /** The source with comments and tags blanked (same length, same line breaks); `{{ }}` becomes an
   *  identifier-like placeholder so that SQL around it still reads as SQL. */
  sql: string;
  lines: LineIndex;
}

/** Statement keywords that open a block closed by `end<keyword>`. `set` only in its block form. */
const BLOCK_KEYWORDS = new Set([
  'if', 'for', 'macro', 'call', 'filter', 'snapshot', 'docs', 'test', 'materialization', 'with', 'autoescape', 'block',
]);

export const EXPR_PLACEHOLDER = '_j_';
const MAX_JINJA_STRING = 64 * 1024;

export function scanJinja(text: string): JinjaScan {
  const scanner = new Scanner(text);
  scanner.run();
  const blocks = pairBlocks(scanner.tags, scanner.problems);
  return { tags: scanner.tags, blocks, problems: scanner.problems, sql: scanner.sqlText(), lines: scanner.lines };
}

class Scanner {
  readonly tags: JinjaTag[] = [];
  readonly problems: JinjaProblem[] = [];
  readonly lines: LineIndex;
  private readonly sql: string[] = [];
  private copied = 0; // text before this offset is already in `sql`

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  run(): void {
    const text = this.text;
    let i = 0;
    while (i < text.length) {
      const j = text.indexOf('{', i);
      if (j < 0 || j + 1 >= text.length) break;
      const next = text[j + 1];
      if (next === '#') i = this.comment(j);
      else if (next === '{' || next === '%') i = this.tag(j, next);
      else i = j + 1;
    }
  }

  sqlText(): string {
    this.sql.push(this.text.slice(this.copied));
    this.copied = this.text.length;
    return this.sql.join('');
  }

  /** Replaces [from, to) with spaces in `sql` (newlines kept), or with the placeholder for expressions. */
  private blank(from: number, to: number, placeholder = false): void {
    this.sql.push(this.text.slice(this.copied, from));
    const span = this.text.slice(from, to);
    let b = span.includes('\n') ? span.replace(/[^\n]/g, ' ') : ' '.repeat(span.length);
    if (placeholder && b.length >= EXPR_PLACEHOLDER.length && !b.startsWith('\n')) {
      b = EXPR_PLACEHOLDER + b.slice(EXPR_PLACEHOLDER.length);
    }
    this.sql.push(b);
    this.copied = to;
  }

  private problem(at: number, message: string): void {
    this.problems.push({ line: this.lines.lineAt(at), message });
  }

  /** `{# ... #}` at `j`; returns where scanning resumes. */
  private comment(j: number): number {
    const close = this.text.indexOf('#}', j + 2);
    if (close < 0) {
      this.problem(j, 'Jinja comment `{#` is never closed with `#}`; everything after it is ignored.');
      this.blank(j, this.text.length);
      return this.text.length;
    }
    this.blank(j, close + 2);
    return close + 2;
  }

  /** `{{ ... }}` or `{% ... %}` at `j`; returns where scanning resumes. */
  private tag(j: number, next: string): number {
    const kind = next === '{' ? 'expr' : 'stmt';
    const endTok = next === '{' ? '}}' : '%}';
    const found = findTagEnd(this.text, j + 2, endTok);
    if (found.close < 0) return this.unclosed(j, kind, found.resume);
    const tag = makeTag(this.text, this.lines, kind, j, found.close, endTok.length);
    if (tag.keyword === 'raw') return this.raw(tag);
    this.tags.push(tag);
    this.blank(j, tag.end, kind === 'expr');
    return tag.end;
  }

  /** An unclosed tag: reported, and its text up to the next tag is kept as a partial tag so its refs count. */
  private unclosed(j: number, kind: 'expr' | 'stmt', resume: number): number {
    const what = kind === 'expr' ? '`{{` is never closed with `}}`' : '`{%` is never closed with `%}`';
    this.problem(j, `Malformed Jinja: ${what}. Close it; until then its calls are read up to the next tag.`);
    const end = Math.max(resume, j + 2);
    this.tags.push({
      kind, body: this.text.slice(j + 2, end), start: j, end,
      line: this.lines.lineAt(j), endLine: this.lines.lineAt(Math.max(j, end - 1)), partial: true,
    });
    return end;
  }

  /** `{% raw %}`: its content stays in `sql` as plain text and is never parsed as Jinja. */
  private raw(tag: JinjaTag): number {
    const m = /\{%-?\s*endraw\s*-?%\}/g;
    m.lastIndex = tag.end;
    const endRaw = m.exec(this.text);
    this.blank(tag.start, tag.end);
    if (!endRaw) {
      this.problem(tag.start, '`{% raw %}` is never closed with `{% endraw %}`; the rest of the file is read as plain text.');
      return this.text.length;
    }
    this.blank(endRaw.index, endRaw.index + endRaw[0].length);
    return endRaw.index + endRaw[0].length;
  }
}

/** Finds the closing delimiter of a tag, outside strings and brackets. `resume` is where scanning
 *  continues when the tag is unclosed (at the next tag opener, or just past this one). */
function findTagEnd(text: string, from: number, endTok: string): { close: number; resume: number } {
  let depth = 0;
  const unclosed = (at: number) => ({ close: -1, resume: at });
  for (let k = from; k < text.length; k++) {
    const c = text[k];
    if (c === '"' || c === "'") {
      // A string longer than any sane Jinja literal is an unmatched quote: stop there, or broken files go quadratic.
      const e = stringEnd(text, k, k + MAX_JINJA_STRING);
      if (e < 0) return plainTagEnd(text, from, endTok);
      k = e - 1;
      continue;
    }
    if (depth === 0 && text.startsWith(endTok, k)) return { close: k, resume: k + 2 };
    if (c === '{' && (text[k + 1] === '{' || text[k + 1] === '%')) return unclosed(k);
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
  }
  return unclosed(text.length);
}

function plainTagEnd(text: string, from: number, endTok: string): { close: number; resume: number } {
  const close = text.indexOf(endTok, from);
  if (close >= 0) return { close, resume: close + 2 };
  const opener = /\{[{%]/g;
  opener.lastIndex = from;
  return { close: -1, resume: opener.exec(text)?.index ?? text.length };
}

function makeTag(text: string, lines: LineIndex, kind: 'expr' | 'stmt', start: number, close: number, endLen: number): JinjaTag {
  let body = text.slice(start + 2, close);
  if (body.startsWith('-') || body.startsWith('+')) body = body.slice(1);
  if (body.endsWith('-') || body.endsWith('+')) body = body.slice(0, -1);
  body = body.trim();
  const end = close + endLen;
  const tag: JinjaTag = { kind, body, start, end, line: lines.lineAt(start), endLine: lines.lineAt(end - 1) };
  if (kind === 'stmt') tag.keyword = /^[A-Za-z_]\w*/.exec(body)?.[0];
  return tag;
}

function isBlockOpener(tag: JinjaTag): boolean {
  const kw = tag.keyword;
  if (!kw) return false;
  if (kw === 'set') return !/=/.test(tag.body.replace(/==/g, '')); // `{% set x %}...{% endset %}`
  return BLOCK_KEYWORDS.has(kw);
}

/** Pairs block openers with their `end<keyword>` tags; unbalanced tags become problems. */
function pairBlocks(tags: JinjaTag[], problems: JinjaProblem[]): JinjaBlock[] {
  const blocks: JinjaBlock[] = [];
  const stack: JinjaBlock[] = [];
  for (const tag of tags) {
    const kw = tag.keyword;
    if (!kw) continue;
    if (isBlockOpener(tag)) {
      const block: JinjaBlock = { keyword: kw, open: tag };
      blocks.push(block);
      stack.push(block);
      continue;
    }
    if (!kw.startsWith('end')) continue;
    const opened = kw.slice(3);
    const at = findLastIndex(stack, b => b.keyword === opened);
    if (at < 0) {
      problems.push({ line: tag.line, message: `Malformed Jinja: \`{% ${kw} %}\` has no matching \`{% ${opened} %}\`.` });
      continue;
    }
    for (const unclosed of stack.splice(at + 1)) reportUnclosed(unclosed, problems);
    stack.pop()!.close = tag;
  }
  for (const unclosed of stack) reportUnclosed(unclosed, problems);
  return blocks;
}

function reportUnclosed(block: JinjaBlock, problems: JinjaProblem[]): void {
  problems.push({
    line: block.open.line,
    message: `Malformed Jinja: \`{% ${block.keyword} %}\` is never closed with \`{% end${block.keyword} %}\`.`,
  });
}

function findLastIndex<T>(arr: T[], pred: (x: T) => boolean): number {
  for (let k = arr.length - 1; k >= 0; k--) if (pred(arr[k])) return k;
  return -1;
}

// ---------------------------------------------------------------- calls inside tags

export interface CallSite {
  /** Called name, dotted when namespaced: ref, dbt_utils.star, adapter.dispatch. */
  name: string;
  /** Undefined when the argument list is never closed. */
  args?: CallArgs;
  /** Offset of the name within the scanned text. */
  offset: number;
}

/** A string opener, or a (dotted) name with the '(' that makes it a call. */
const CALL_SCAN = /(["'])|([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)[ \t]*(\()?/g;

/** Every call `name(...)` in a Jinja (or Python) expression, outside string literals, nested calls included.
 *  Filters (`| join(',')`), tests (`is divisibleby(3)`) and methods of expressions (`foo().bar()`) are skipped. */
export function findCalls(src: string): CallSite[] {
  const calls: CallSite[] = [];
  const re = CALL_SCAN; // findCalls never re-enters itself, so the shared regex is safe
  re.lastIndex = 0;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m[1]) {
      re.lastIndex = skipString(src, m.index);
      continue;
    }
    const at = m.index;
    if (at > 0 && /[\w.]/.test(src[at - 1])) continue; // inside a number or after a method dot
    if (m[3] && !isFilterOrTest(src, at)) {
      const open = at + m[0].length - 1;
      calls.push({ name: m[2], args: parseCallArgs(src, open)?.args, offset: at });
      re.lastIndex = open + 1; // arguments are scanned too: nested calls count
    }
  }
  return calls;
}

function isFilterOrTest(src: string, at: number): boolean {
  const before = src.slice(Math.max(0, at - 16), at).trimEnd();
  return before.endsWith('|') || before.endsWith('.') || /\bis(\s+not)?$/.test(before);
}

/** Names bound in the given statement tags: `set a, b = ...`, `for x in ...`, `call(row) ...`. */
export function boundNames(tags: JinjaTag[]): Set<string> {
  const names = new Set<string>();
  const add = (list: string): void => {
    for (const n of list.split(',')) if (n.trim()) names.add(n.trim());
  };
  for (const t of tags) {
    if (t.keyword === 'set') {
      const m = /^set\s+([\w\s,]+?)\s*(=|$)/.exec(t.body);
      if (m) add(m[1]);
    } else if (t.keyword === 'for') {
      const m = /^for\s+([\w\s,]+?)\s+in\b/.exec(t.body);
      if (m) add(m[1]);
    } else if (t.keyword === 'call') {
      const m = /^call\s*\(([^)]*)\)/.exec(t.body);
      if (m) add(m[1]);
    }
  }
  return names;
}

/** Tags whose calls are definitions, not uses: `{% macro name(args) %}` and friends. */
export const DEFINITION_KEYWORDS = new Set(['macro', 'test', 'materialization', 'snapshot', 'docs']);
