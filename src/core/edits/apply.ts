// Applying planned changes to texts in memory: for validation, tests and the extension's preview. Pure: nothing
// here touches the disk.
import type { Problem } from '../types';
import type { FileChange, TextEdit } from './types';

/** The texts a set of changes produced. */
export interface AppliedChanges {
  /** The resulting text of every path the changes touch; null when the file no longer exists (renamed away). */
  files: Map<string, string | null>;
  problems: Problem[];
}

/** Current workspace texts by workspace-relative path (a missing path is a file that does not exist). */
export type TextSource = ReadonlyMap<string, string> | Readonly<Record<string, string | undefined>>;

/** Why edits cannot be applied to a text (overlap, out of range), or undefined when they can. */
export function checkEdits(text: string, edits: readonly TextEdit[]): string | undefined {
  const sorted = sortEdits(edits);
  let prevEnd = 0;
  for (const e of sorted) {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < 0 || e.end < e.start || e.end > text.length) {
      return `edit [${e.start}, ${e.end}) is outside the text (length ${text.length})`;
    }
    if (e.start < prevEnd) return `edits overlap at offset ${e.start}`;
    prevEnd = e.end;
  }
  return undefined;
}

/** Applies non-overlapping edits (0-based offsets into `text`); insertions at one offset keep their given order.
 *  Throws a RangeError on overlapping or out-of-range edits (use checkEdits first for untrusted input). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const why = checkEdits(text, edits);
  if (why) throw new RangeError(`Cannot apply the edits: ${why}.`);
  const out: string[] = [];
  let at = 0;
  for (const e of sortEdits(edits)) {
    out.push(text.slice(at, e.start), e.newText);
    at = e.end;
  }
  out.push(text.slice(at));
  return out.join('');
}

/** Stable sort by start offset: two insertions at the same place keep the order they were planned in. */
function sortEdits(edits: readonly TextEdit[]): TextEdit[] {
  return edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i).map(x => x.e);
}

function lookup(texts: TextSource, path: string): string | undefined {
  if (texts instanceof Map) return texts.get(path);
  const rec = texts as Readonly<Record<string, string | undefined>>;
  return Object.prototype.hasOwnProperty.call(rec, path) ? rec[path] : undefined;
}

/**
 * Applies `changes` in order to `texts`. A `modify` whose path is missing from `texts` is applied to its own
 * `before`; one whose current text differs from `before` is stale and reported, not applied. Problems never throw.
 */
export function applyChanges(texts: TextSource, changes: readonly FileChange[]): AppliedChanges {
  const files = new Map<string, string | null>();
  const problems: Problem[] = [];
  const current = (p: string): string | null | undefined => (files.has(p) ? files.get(p) : lookup(texts, p));
  const fail = (path: string, message: string) => problems.push({ path, severity: 'error', message });
  for (const c of changes) {
    if (c.kind === 'create') {
      if (typeof current(c.path) === 'string') fail(c.path, `${c.path} already exists; the plan would overwrite it. Re-plan against the current files.`);
      else files.set(c.path, c.text);
    } else if (c.kind === 'modify') {
      const now = current(c.path);
      const base = now === undefined ? c.before : now;
      if (base === null) { fail(c.path, `${c.path} no longer exists; the plan cannot change it.`); continue; }
      if (base !== c.before) { fail(c.path, `${c.path} changed since the plan was made; re-plan to pick up the current text.`); continue; }
      const why = checkEdits(base, c.edits);
      if (why) fail(c.path, `The planned edits of ${c.path} are inconsistent: ${why}.`);
      else files.set(c.path, applyEdits(base, c.edits));
    } else {
      const base = current(c.path);
      if (typeof base !== 'string') fail(c.path, `${c.path} does not exist; it cannot be renamed.`);
      else if (typeof current(c.newPath) === 'string') fail(c.newPath, `${c.newPath} already exists; ${c.path} cannot be renamed to it.`);
      else { files.set(c.newPath, base); files.set(c.path, null); }
    }
  }
  return { files, problems };
}
