// Positions in YAML text around `yaml` nodes: where a node's content ends, where the line after it starts, which
// comment lines belong to it. Insertions land on line boundaries so untouched lines stay byte-identical.
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';

/** Offset of the line break ending the line that holds `pos` (before a '\r\n'), or the text's length. */
export function lineEndFrom(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  if (nl < 0) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

export function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** Length of the line break at `pos` (0 at the end of the text). */
function breakLength(text: string, pos: number): number {
  if (text.startsWith('\r\n', pos)) return 2;
  return text[pos] === '\n' ? 1 : 0;
}

function trimBack(text: string, end: number, floor = 0): number {
  let e = Math.min(end, text.length);
  while (e > floor && /\s/.test(text[e - 1])) e--;
  return e;
}

type Ranged = Node | Pair | null | undefined;

/** Offset just past the last character of a node's own content (trailing whitespace and comments excluded). */
export function contentEnd(text: string, n: Ranged | unknown): number {
  if (isPair(n)) {
    const key = n.key as Node | null;
    const keyEnd = key?.range ? trimBack(text, key.range[1], key.range[0]) + 1 : -1; // + the colon
    const value = n.value as Node | null;
    return Math.max(keyEnd, value?.range ? contentEnd(text, value) : -1);
  }
  if ((isMap(n) || isSeq(n)) && n.range) {
    if (n.flow || !n.items.length) return trimBack(text, n.range[1], n.range[0]);
    return contentEnd(text, n.items[n.items.length - 1]);
  }
  if ((isScalar(n) || isAlias(n)) && n.range) return trimBack(text, n.range[1], n.range[0]);
  return -1;
}

/**
 * Where to insert lines after a node: the end of the line its content ends on (a trailing comment there stays with
 * it), extended over the comment lines right below that are indented deeper than `indent` (they belong to it).
 */
export function afterNode(text: string, n: Ranged | unknown, indent: number): number {
  let at = lineEndFrom(text, Math.max(0, contentEnd(text, n)));
  for (;;) {
    const next = at + breakLength(text, at);
    if (next >= text.length || next === at) break;
    const end = lineEndFrom(text, next);
    const m = /^( *)#/.exec(text.slice(next, end));
    if (!m || m[1].length <= indent) break;
    at = end;
  }
  return at;
}

/** Start of the line holding the dash of a sequence item, moved up over the comment lines right above it that are
 *  indented at least as deep as the dash (they introduce the item). */
export function beforeItemLine(text: string, dash: number, dashCol: number): number {
  let start = lineStartOf(text, dash);
  while (start > 0) {
    const prevStart = lineStartOf(text, start - 1);
    const m = /^( *)#/.exec(text.slice(prevStart, start));
    if (!m || m[1].length < dashCol) break;
    start = prevStart;
  }
  return start;
}

/** True when nothing but spaces and a comment follows `pos` on its line. */
export function restOfLineIsBlank(text: string, pos: number): boolean {
  return /^[ \t]*(#.*)?$/.test(text.slice(pos, lineEndFrom(text, pos)));
}
