// The minimal TextEdits that turn one text into another: a Myers diff over lines, each changed hunk then trimmed
// to the characters that really differ. Editors build the new text step by step (re-reading it after every
// step); this turns the end result back into edits against the text the user has.
import type { TextEdit } from './types';

/** Lines with their terminators ('a\r\n', 'b'), so that joining them gives the text back. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

type Op = { kind: 'same' | 'del' | 'ins'; line: string };

/** Myers' O((N+M)·D) shortest edit script over lines. */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length, m = b.length, max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[max + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  const ops: Op[] = [];
  let x = n, y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1] < vd[max + k + 1]) ? k + 1 : k - 1;
    const prevX = vd[max + prevK], prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: 'same', line: a[--x] }), y--;
    if (d > 0) {
      if (x === prevX) ops.push({ kind: 'ins', line: b[--y] });
      else ops.push({ kind: 'del', line: a[--x] });
    }
  }
  return ops.reverse();
}

/** Edits (offsets into `before`) that produce `after`; empty when the texts are equal. */
export function diffToEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  // Common leading and trailing lines are cut first: the diff then runs on the changed middle only.
  const a = splitLines(before), b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const offset = a.slice(0, head).reduce((s, l) => s + l.length, 0);
  // Each changed run of lines is then narrowed to the words that differ.
  return hunks(a.slice(head, a.length - tail), b.slice(head, b.length - tail), offset)
    .flatMap(h => refine(h.start, h.removed, h.added));
}

interface Hunk { start: number; removed: string; added: string }

function hunks(a: string[], b: string[], offset: number): Hunk[] {
  const ops = diffLines(a, b);
  const out: Hunk[] = [];
  for (let i = 0; i < ops.length;) {
    if (ops[i].kind === 'same') { offset += ops[i++].line.length; continue; }
    const start = offset;
    let removed = '', added = '';
    for (; i < ops.length && ops[i].kind !== 'same'; i++) {
      if (ops[i].kind === 'del') { removed += ops[i].line; offset += ops[i].line.length; }
      else added += ops[i].line;
    }
    out.push({ start, removed, added });
  }
  return out;
}

/** Words, runs of spaces, line breaks and single other characters. */
function tokens(text: string): string[] {
  return text.match(/\w+|[ \t]+|\r?\n|[^\w \t\r\n]/g) ?? [];
}

const MAX_REFINE_TOKENS = 4000;

/** A hunk as token-level edits; edits separated by a few characters on one line are joined (easier to read). */
function refine(start: number, removed: string, added: string): TextEdit[] {
  const ta = tokens(removed), tb = tokens(added);
  if (!removed || !added || ta.length + tb.length > MAX_REFINE_TOKENS) return [trimEdit(start, removed, added)];
  const out: TextEdit[] = [];
  for (const h of hunks(ta, tb, start)) {
    const e = trimEdit(h.start, h.removed, h.added);
    const prev = out[out.length - 1];
    const gap = prev ? removed.slice(prev.end - start, e.start - start) : '';
    if (prev && gap.length < 3 && !gap.includes('\n')) {
      prev.newText += gap + e.newText;
      prev.end = e.end;
    } else out.push(e);
  }
  return out;
}

/** Narrows a replaced hunk to the characters that differ. */
function trimEdit(start: number, removed: string, added: string): TextEdit {
  let p = 0;
  while (p < removed.length && p < added.length && removed[p] === added[p]) p++;
  let s = 0;
  while (s < removed.length - p && s < added.length - p && removed[removed.length - 1 - s] === added[added.length - 1 - s]) s++;
  return { start: start + p, end: start + removed.length - s, newText: added.slice(p, added.length - s) };
}
