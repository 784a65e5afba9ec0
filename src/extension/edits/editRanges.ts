// Pure helpers between core's offset-based edits and VS Code's line/character ranges, and the words that describe a
// plan's changes to the user. No VS Code import: unit-tested under node (test/vscode/unit/editRanges.test.ts).
import type { FileChange, TextEdit } from '../../core/edits/types';

export interface LineCol {
  line: number;
  character: number;
}

/** The 0-based line and UTF-16 character of `offset` in `text`, counting `\r\n`, `\n` and `\r` as line breaks
 *  (as VS Code does), so a range computed from the planned text lands where VS Code's document puts it. */
export function lineColAt(text: string, offset: number): LineCol {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) { line++; lineStart = i + 1; }
  }
  // An offset between \r and \n is the end of the line the pair ends (VS Code clamps it there too).
  const inPair = end > 0 && text.charCodeAt(end - 1) === 13 && text.charCodeAt(end) === 10;
  return { line, character: end - lineStart - (inPair ? 1 : 0) };
}

/**
 * Sorted edits (stable, like core's applyEdits), with edits that touch merged into one: two insertions at one offset,
 * or an insertion right before a replacement, become one replacement. VS Code's order for edits at the same position
 * is then never in question, and the result equals applyEdits(text, edits).
 */
export function mergeTouching(edits: readonly TextEdit[]): TextEdit[] {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i).map(x => x.e);
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.start === last.end) out[out.length - 1] = { start: last.start, end: e.end, newText: last.newText + e.newText };
    else out.push({ ...e });
  }
  return out;
}

/** One line about a change, for the refactor preview and messages. */
export function describeChange(c: FileChange): string {
  if (c.kind === 'create') return `create ${c.path} (${countLines(c.text)} line${countLines(c.text) === 1 ? '' : 's'})`;
  if (c.kind === 'rename') return `rename ${c.path} to ${c.newPath}`;
  const n = c.edits.length;
  return `edit ${c.path} (${n} change${n === 1 ? '' : 's'})`;
}

/** Every workspace-relative path a set of changes touches (renames: both ends), in order, once. */
export function touchedPaths(changes: readonly FileChange[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    for (const p of c.kind === 'rename' ? [c.path, c.newPath] : [c.path]) if (!out.includes(p)) out.push(p);
  }
  return out;
}

function countLines(text: string): number {
  return text ? text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(text) ? 1 : 0) : 0;
}
