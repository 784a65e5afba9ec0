// Parser for `git log -z --format=LOG_FORMAT [--raw] [--numstat]`.
// With -z every field and every path is NUL-terminated and never quoted, so paths with spaces, tabs,
// newlines or non-ASCII characters come through unchanged, and renames arrive as two separate paths
// (the display forms `old => new` and `dir/{a => b}/f` only exist without -z).
import type { Commit, FileChange } from '../types';

/** Full sha, author name/email (mailmap applied), strict ISO author date, subject, body. */
export const LOG_FORMAT = '%H%x00%aN%x00%aE%x00%aI%x00%s%x00%b';

const HEADER_FIELDS = 6;
const SHA_RE = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const NUMSTAT_RE = /^(\d+|-)\t(\d+|-)\t([^]*)$/;

interface RawEntry { letter: string; path: string; oldPath?: string }
interface NumEntry { additions: number; deletions: number; path: string; oldPath?: string }

/** Parses the log; commits in git's order. A truncated tail (git died midway) ends the list early. */
export function parseLog(text: string): Commit[] {
  const tok = text.split('\0');
  const commits: Commit[] = [];
  let i = 0;
  while (i < tok.length) {
    const sha = stripNewlines(tok[i]);
    if (sha === '') { i++; continue; }
    if (!SHA_RE.test(sha) || i + HEADER_FIELDS > tok.length) break;
    const [name, email, date, subject, body] = tok.slice(i + 1, i + HEADER_FIELDS);
    i += HEADER_FIELDS;
    const raws: RawEntry[] = [];
    const nums: NumEntry[] = [];
    i = readDiff(tok, i, raws, nums);
    commits.push({
      sha, author: name, email, date: isoUtc(date), subject: subject.trim(), body: body.trim(),
      files: combine(raws, nums),
    });
  }
  return commits;
}

/** Reads --raw and --numstat entries from tok[i]; returns the index of the next commit. */
function readDiff(tok: string[], i: number, raws: RawEntry[], nums: NumEntry[]): number {
  while (i < tok.length) {
    const t = stripNewlines(tok[i]);
    if (t.startsWith(':')) {
      const letter = t.charAt(t.lastIndexOf(' ') + 1);
      if (letter === 'R' || letter === 'C') {
        if (tok[i + 2] === undefined) return tok.length;
        raws.push({ letter, oldPath: tok[i + 1], path: tok[i + 2] });
        i += 3;
      } else {
        if (tok[i + 1] === undefined) return tok.length;
        raws.push({ letter, path: tok[i + 1] });
        i += 2;
      }
      continue;
    }
    const m = NUMSTAT_RE.exec(t);
    if (!m) return i;
    const additions = m[1] === '-' ? 0 : Number(m[1]);
    const deletions = m[2] === '-' ? 0 : Number(m[2]);
    if (m[3] !== '') { nums.push({ additions, deletions, path: m[3] }); i += 1; continue; }
    if (tok[i + 2] === undefined) return tok.length;
    nums.push({ additions, deletions, oldPath: tok[i + 1], path: tok[i + 2] });
    i += 3;
  }
  return i;
}

/** Joins the --raw entries (status) with the --numstat entries (line counts); git prints both in the same order. */
function combine(raws: RawEntry[], nums: NumEntry[]): FileChange[] {
  if (raws.length === 0) return nums.map(n => change(n.oldPath ? 'R' : 'M', n.path, n.oldPath, n));
  const paired = raws.length === nums.length && raws.every((r, k) => r.path === nums[k].path);
  const byPath = paired ? undefined : new Map(nums.map(n => [n.path, n]));
  return raws.map((r, k) => {
    const n = paired ? nums[k] : byPath?.get(r.path);
    return change(statusOf(r.letter), r.path, r.letter === 'R' ? r.oldPath : undefined, n);
  });
}

function change(status: FileChange['status'], path: string, oldPath: string | undefined,
  n: { additions: number; deletions: number } | undefined): FileChange {
  const c: FileChange = { path, additions: n?.additions ?? 0, deletions: n?.deletions ?? 0, status };
  if (oldPath !== undefined) c.oldPath = oldPath;
  return c;
}

/** git's status letters folded onto A/M/D/R: a copy is a new file, a type change a modification. */
function statusOf(letter: string): FileChange['status'] {
  switch (letter) {
    case 'A': case 'C': return 'A';
    case 'D': return 'D';
    case 'R': return 'R';
    default: return 'M';
  }
}

function stripNewlines(s: string): string {
  return s.replace(/^\n+/, '');
}

/** Normalises to UTC so dates from different time zones compare as strings. */
function isoUtc(date: string): string {
  const t = Date.parse(date);
  return Number.isNaN(t) ? date : new Date(t).toISOString();
}
