// How a YAML file (or a whole project) is written: indentation, quotes, line endings, long descriptions. New
// YAML is rendered in the style the surrounding file already uses, so an edit looks hand-written.
import { isMap, isScalar, isSeq, parseAllDocuments, Scalar, visit, type Node } from 'yaml';

export interface YamlStyle {
  eol: '\n' | '\r\n';
  /** Spaces a nested map is indented by under its key. */
  mapIndent: number;
  /** Where a block sequence's dashes sit relative to its key: 0 = same column (`key:\n- a`), 2 = indented. */
  seqIndent: number;
  /** Columns from a dash to the item's content (`- name` = 2). */
  dashGap: number;
  quote: 'single' | 'double';
  /** Descriptions longer than this become folded blocks (`>`); Infinity = never (multi-paragraph text still folds). */
  foldAbove: number;
  /** Column at which folded blocks wrap. */
  width: number;
  /** New files start with `version: 2`. */
  versionHeader: boolean;
}

export const DEFAULT_STYLE: YamlStyle = {
  eol: '\n', mapIndent: 2, seqIndent: 2, dashGap: 2, quote: 'single', foldAbove: 100, width: 120, versionHeader: true,
};

/** What one file shows of each style choice, as counts, so files can be pooled into a project style. */
export interface StyleVotes {
  eol: Record<string, number>;
  mapIndent: Record<string, number>;
  seqIndent: Record<string, number>;
  dashGap: Record<string, number>;
  quote: Record<string, number>;
  /** Folded descriptions vs long (> 100 chars) single-line ones. */
  folded: number;
  longPlain: number;
  /** Widest line of a folded description. */
  foldedWidth: number;
  version: Record<string, number>;
}

export function emptyVotes(): StyleVotes {
  return { eol: {}, mapIndent: {}, seqIndent: {}, dashGap: {}, quote: {}, folded: 0, longPlain: 0, foldedWidth: 0, version: {} };
}

function vote(r: Record<string, number>, key: string | number, n = 1): void {
  r[key] = (r[key] ?? 0) + n;
}

export function columnOf(text: string, pos: number): number {
  return pos - (text.lastIndexOf('\n', pos - 1) + 1);
}

function lineOf(text: string, pos: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Offset of the dash that introduces the sequence item starting at `itemStart`, or -1. */
export function dashBefore(text: string, itemStart: number): number {
  let i = itemStart - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= 0 && text[i] === '-' ? i : -1;
}

/** Counts the style choices a YAML text makes. Unreadable YAML counts only its line endings. */
export function styleVotes(text: string): StyleVotes {
  const v = emptyVotes();
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  if (crlf || lf) vote(v.eol, crlf > lf ? '\r\n' : '\n', 1);
  let docs;
  try { docs = parseAllDocuments(text, { uniqueKeys: false }); } catch { return v; }
  if (!Array.isArray(docs)) return v;
  for (const doc of docs) {
    if (doc.errors.length) continue;
    const root = doc.contents;
    if (isMap(root)) vote(v.version, root.items.some(p => isScalar(p.key) && p.key.value === 'version') ? 'yes' : 'no');
    visit(doc, {
      Pair: (_k, pair) => {
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        if (!isScalar(key) || !key.range || !value?.range) return;
        const keyCol = columnOf(text, key.range[0]);
        const nested = lineOf(text, value.range[0]) > lineOf(text, key.range[0]);
        if (isMap(value) && !value.flow && nested) vote(v.mapIndent, columnOf(text, value.range[0]) - keyCol);
        if (isSeq(value) && !value.flow && nested) vote(v.seqIndent, columnOf(text, value.range[0]) - keyCol);
        if (key.value === 'description' && isScalar(value) && typeof value.value === 'string') {
          if (value.type === Scalar.BLOCK_FOLDED) {
            v.folded++;
            const body = text.slice(value.range[0], value.range[1]).split(/\r?\n/).slice(1);
            for (const l of body) if (l.trim()) v.foldedWidth = Math.max(v.foldedWidth, l.length);
          } else if (value.value.length > 100) v.longPlain++;
        }
      },
      Seq: (_k, seq) => {
        if (seq.flow) return;
        for (const it of seq.items) {
          const item = it as Node | null;
          if (!isMap(item) || item.flow || !item.range) continue;
          const dash = dashBefore(text, item.range[0]);
          if (dash >= 0) vote(v.dashGap, item.range[0] - dash);
        }
      },
      Scalar: (_k, s) => {
        if (s.type === Scalar.QUOTE_SINGLE) vote(v.quote, 'single');
        else if (s.type === Scalar.QUOTE_DOUBLE) vote(v.quote, 'double');
      },
    });
  }
  return v;
}

export function addVotes(into: StyleVotes, from: StyleVotes): StyleVotes {
  for (const k of ['eol', 'mapIndent', 'seqIndent', 'dashGap', 'quote', 'version'] as const) {
    for (const [key, n] of Object.entries(from[k])) vote(into[k], key, n);
  }
  into.folded += from.folded;
  into.longPlain += from.longPlain;
  into.foldedWidth = Math.max(into.foldedWidth, from.foldedWidth);
  return into;
}

function top(r: Record<string, number>): string | undefined {
  let best: string | undefined, n = 0;
  for (const [k, c] of Object.entries(r)) if (c > n) { best = k; n = c; }
  return best;
}

function topNumber(r: Record<string, number>, fallback: number, ok: (n: number) => boolean): number {
  const t = Number(top(r));
  return Number.isFinite(t) && ok(t) ? t : fallback;
}

/** The style the votes show, each choice falling back to `base` when the votes say nothing. */
export function decideStyle(v: StyleVotes, base: YamlStyle = DEFAULT_STYLE): YamlStyle {
  const eol = top(v.eol);
  const quote = top(v.quote);
  const version = top(v.version);
  const anyDescriptions = v.folded + v.longPlain > 0;
  // A file of lists only (`-   name:`) shows its indentation through the dash gap.
  const gap = topNumber(v.dashGap, 0, n => n >= 2 && n <= 8);
  const mapBase = !Object.keys(v.mapIndent).length && gap > 2 ? gap : base.mapIndent;
  return {
    eol: eol === '\r\n' || eol === '\n' ? eol : base.eol,
    mapIndent: topNumber(v.mapIndent, mapBase, n => n >= 1 && n <= 8),
    seqIndent: topNumber(v.seqIndent, base.seqIndent, n => n >= 0 && n <= 8),
    dashGap: topNumber(v.dashGap, base.dashGap, n => n >= 2 && n <= 8),
    quote: quote === 'single' || quote === 'double' ? quote : base.quote,
    foldAbove: !anyDescriptions ? base.foldAbove : v.folded > 0 && v.folded >= v.longPlain / 2 ? 100 : Infinity,
    width: v.foldedWidth ? Math.min(140, Math.max(80, v.foldedWidth)) : base.width,
    versionHeader: version ? version === 'yes' : base.versionHeader,
  };
}
