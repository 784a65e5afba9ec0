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
  /** First word of a statement tag (if, for, set, macro, endmacro, ...). */
  keyword?: string;
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

export function scanJinja(text: string): JinjaScan {
  const lines = new LineIndex(text);
  const tags: JinjaTag[] = [];
  const problems: JinjaProblem[] = [];
  const sql: string[] = [];
  let copied = 0; // text before this offset is already in `sql`
  const blank = (from: number, to: number, placeholder = false): void => {
    sql.push(text.slice(copied, from));
    let b = text.slice(from, to).replace(/[^\n]/g, ' ');
    if (placeholder && b.length >= EXPR_PLACEHOLDER.length && !b.startsWith('\n')) {
      b = EXPR_PLACEHOLDER + b.slice(EXPR_PLACEHOLDER.length);
    }
    sql.push(b);
    copied = to;
  };

  let i = 0;
  while (i < text.length) {
    const j = text.indexOf('{', i);
    if (j < 0 || j + 1 >= text.length) break;
    const next = text[j + 1];
    if (next === '#') {
      const close = text.indexOf('#}', j + 2);
      if (close < 0) {
        problems.push({ line: lines.lineAt(j), message: 'Jinja comment `{#` is never closed with `#}`; everything after it is ignored.' });
        blank(j, text.length);
        i = text.length;
        break;
      }
      blank(j, close + 2);
      i = close + 2;
      continue;
    }
    if (next !== '{' && next !== '%') { i = j + 1; continue; }
    const endTok = next === '{' ? '}}' : '%}';
    const found = findTagEnd(text, j + 2, endTok);
    if (found.close < 0) {
      const what = next === '{' ? '`{{` is never closed with `}}`' : '`{%` is never closed with `%}`';
      problems.push({ line: lines.lineAt(j), message: `Malformed Jinja: ${what}; the rest of this tag is ignored.` });
      i = found.resume;
      continue;
    }
    const tag = makeTag(text, lines, next === '{' ? 'expr' : 'stmt', j, found.close, endTok.length);
    if (tag.keyword === 'raw') {
      const m = /\{%-?\s*endraw\s*-?%\}/g;
      m.lastIndex = tag.end;
      const endRaw = m.exec(text);
      blank(j, tag.end);
      if (!endRaw) {
        problems.push({ line: tag.line, message: '`{% raw %}` is never closed with `{% endraw %}`; the rest of the file is read as plain text.' });
        i = text.length;
        break;
      }
      // Raw content stays in `sql` as plain text; it is never parsed as Jinja.
      blank(endRaw.index, endRaw.index + endRaw[0].length);
      i = endRaw.index + endRaw[0].length;
      continue;
    }
    tags.push(tag);
    blank(j, tag.end, tag.kind === 'expr');
    i = tag.end;
  }
  sql.push(text.slice(copied));
  const blocks = pairBlocks(tags, problems);
  return { tags, blocks, problems, sql: sql.join(''), lines };
}

/** Finds the closing delimiter of a tag, outside strings and brackets. `resume` is where scanning
 *  continues when the tag is unclosed (at the next tag opener, or just past this one). */
function findTagEnd(text: string, from: number, endTok: string): { close: number; resume: number } {
  let depth = 0;
  for (let k = from; k < text.length; k++) {
    const c = text[k];
    if (c === '"' || c === "'") {
      const e = stringEnd(text, k);
      if (e < 0) return plainTagEnd(text, from, endTok);
      k = e - 1;
      continue;
    }
    if (depth === 0 && text.startsWith(endTok, k)) return { close: k, resume: k + 2 };
    if (c === '{' && (text[k + 1] === '{' || text[k + 1] === '%')) return { close: -1, resume: k };
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
  }
  return { close: -1, resume: from };
}

function plainTagEnd(text: string, from: number, endTok: string): { close: number; resume: number } {
  const close = text.indexOf(endTok, from);
  return { close, resume: close < 0 ? from : close + 2 };
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

const NAME_CHAIN = /[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/y;

/** Every call `name(...)` in a Jinja (or Python) expression, outside string literals, nested calls included.
 *  Filters (`| join(',')`), tests (`is divisibleby(3)`) and methods of expressions (`foo().bar()`) are skipped. */
export function findCalls(src: string): CallSite[] {
  const calls: CallSite[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'") { i = skipString(src, i) - 1; continue; }
    if (!/[A-Za-z_]/.test(c) || (i > 0 && /[\w.]/.test(src[i - 1]))) continue;
    NAME_CHAIN.lastIndex = i;
    const m = NAME_CHAIN.exec(src);
    if (!m) continue;
    let k = i + m[0].length;
    while (k < src.length && (src[k] === ' ' || src[k] === '\t')) k++;
    if (src[k] === '(' && !isFilterOrTest(src, i)) {
      calls.push({ name: m[0], args: parseCallArgs(src, k)?.args, offset: i });
    }
    i += m[0].length - 1;
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
