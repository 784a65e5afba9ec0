// Rendering new YAML fragments (entries, columns, tests) in a given style, as lines at a given column. Only what
// dbt property files need: maps, lists, strings, numbers, booleans; lists marked `flow` render as `[a, b]`.
import { stringify } from 'yaml';
import type { YamlStyle } from './yamlEditStyle';

/** A list rendered inline (`values: ['a', 'b']`), as dbt projects write accepted values. */
export class FlowList {
  constructor(readonly items: YamlScalar[]) {}
}

export type YamlScalar = string | number | boolean | null;
export type YamlValue = YamlScalar | FlowList | YamlValue[] | { [key: string]: YamlValue };

function isObject(v: YamlValue): v is { [key: string]: YamlValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof FlowList);
}

const pad = (n: number) => ' '.repeat(Math.max(0, n));

/** A scalar as YAML reads it back unchanged: plain when that is safe, else quoted in the file's quote style. */
export function scalarText(v: YamlScalar, style: Pick<YamlStyle, 'quote'>, inFlow = false): string {
  if (v === null) return 'null';
  if (typeof v !== 'string') return String(v);
  const single = style.quote === 'single';
  let out = stringify(v, { lineWidth: 0, minContentWidth: 0, singleQuote: single, defaultStringType: 'PLAIN' }).replace(/\n$/, '');
  // Block scalars and flow indicators are not wanted here: fall back to a quoted one-liner.
  const plain = !/^['"]/.test(out);
  if (out.includes('\n') || (plain && (inFlow && /[[\]{},]/.test(out) || /^[|>]/.test(out)))) {
    out = single && !/[\n\\]/.test(v) ? `'${v.replace(/'/g, "''")}'` : JSON.stringify(v);
  }
  return out;
}

/** Always quoted, as dbt projects write accepted values. */
function quoted(v: string, style: Pick<YamlStyle, 'quote'>): string {
  return style.quote === 'single' && !/[\n\\]/.test(v) ? `'${v.replace(/'/g, "''")}'` : JSON.stringify(v);
}

/** Paragraphs of a description: runs of whitespace become one space; blank lines separate paragraphs. */
export function paragraphs(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split(/\n\s*\n/).map(p => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** Words of `text` wrapped into lines that end before `width` (a long word gets a line of its own). */
function wrap(text: string, col: number, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(' ')) {
    if (cur && col + cur.length + 1 + w.length > width) { lines.push(cur); cur = w; }
    else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** Markdown whose line breaks carry meaning (tables, lists, headings): kept line by line. */
function isStructured(text: string): boolean {
  return /\n\s*([|*#>-]|\d+\.)/.test(text.replace(/\r\n?/g, '\n').trim());
}

/** A description value after `key:` — a literal block (`|`) for structured markdown, folded (`>`) when long or
 *  multi-paragraph in a project that folds; undefined for a one-line scalar. */
function descriptionLines(text: string, col: number, style: YamlStyle): { inline: string; lines: string[] } | undefined {
  const norm = text.replace(/\r\n?/g, '\n');
  if (isStructured(norm) && !/^[ \t]/.test(norm)) {
    const body = norm.replace(/\n+$/, '');
    return { inline: norm.endsWith('\n') ? ' |' : ' |-', lines: body.split('\n').map(l => (l.trim() ? pad(col) + l.trimEnd() : '')) };
  }
  const paras = paragraphs(norm);
  if (!paras.length || (paras.length === 1 && paras[0].length <= style.foldAbove)) return undefined;
  const lines: string[] = [];
  paras.forEach((p, i) => {
    if (i) lines.push('');
    for (const l of wrap(p, col, style.width)) lines.push(pad(col) + l);
  });
  return { inline: ' >', lines };
}

export function flowText(v: YamlValue, style: YamlStyle): string {
  if (v instanceof FlowList) return `[${v.items.map(i => (typeof i === 'string' ? quoted(i, style) : scalarText(i, style, true))).join(', ')}]`;
  if (Array.isArray(v)) return `[${v.map(i => flowText(i, style)).join(', ')}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `${scalarText(k, style, true)}: ${flowText(x, style)}`).join(', ')}}`;
  return scalarText(v, style, true);
}

/** The value part of `key: value` for a key at column `col`: the text after the colon (with its leading space) and
 *  the lines below it. */
export function renderValue(key: string, value: YamlValue, col: number, style: YamlStyle): { inline: string; lines: string[] } {
  if (key === 'description' && typeof value === 'string') {
    const block = descriptionLines(value, col + style.mapIndent, style);
    if (block) return block;
    const one = paragraphs(value);
    if (one.length === 1) return { inline: ` ${scalarText(one[0], style)}`, lines: [] };
  }
  if (Array.isArray(value)) {
    if (!value.length) return { inline: ' []', lines: [] };
    return { inline: '', lines: value.flatMap(item => renderSeqItem(item, col + style.seqIndent, style)) };
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (!entries.length) return { inline: ' {}', lines: [] };
    return { inline: '', lines: entries.flatMap(([k, x]) => renderPair(k, x, col + style.mapIndent, style)) };
  }
  return { inline: ` ${flowText(value, style)}`, lines: [] };
}

/** `key: value` at column `col`, as lines without line endings. */
export function renderPair(key: string, value: YamlValue, col: number, style: YamlStyle): string[] {
  const v = renderValue(key, value, col, style);
  return [`${pad(col)}${scalarText(key, style)}:${v.inline}`, ...v.lines];
}

/** Several pairs of one map at column `col`. */
export function renderPairs(map: { [key: string]: YamlValue }, col: number, style: YamlStyle): string[] {
  return Object.entries(map).flatMap(([k, v]) => renderPair(k, v, col, style));
}

/** `- item` with its dash at column `dashCol`. */
export function renderSeqItem(value: YamlValue, dashCol: number, style: YamlStyle, dashGap = style.dashGap): string[] {
  const dash = `${pad(dashCol)}-${pad(dashGap - 1)}`;
  const contentCol = dashCol + dashGap;
  if (isObject(value) && Object.keys(value).length) {
    const lines = renderPairs(value, contentCol, style);
    return [dash + lines[0].slice(contentCol), ...lines.slice(1)];
  }
  return [dash + flowText(value, style)];
}
