// Lookups over one read of the git history: per-file history following renames, authors, commits by sha prefix
// or message text. The per-path and per-sha maps are built once in the constructor.
import type { Commit, FileChange, GitHistoryData } from '../types';

/** One commit's change to a file. */
export interface PathChange {
  commit: Commit;
  change: FileChange;
}

export interface AuthorStat {
  /** Name used in the author's newest commit. */
  name: string;
  email: string;
  commits: number;
  additions: number;
  deletions: number;
  /** Date of the author's newest commit to the file (ISO). */
  lastDate: string;
}

interface Entry {
  /** Index into commits (newest first, so ascending = older). */
  ci: number;
  /** Index into that commit's files. */
  fi: number;
  /** True when the path is the change's oldPath: the file was renamed away from it. */
  asOld: boolean;
}

export class HistoryIndex {
  readonly commits: readonly Commit[];
  private readonly byPath = new Map<string, Entry[]>();
  private readonly bySha = new Map<string, Commit>();
  private readonly sortedShas: string[];
  private haystacks?: string[];

  constructor(readonly data: GitHistoryData) {
    this.commits = data.commits;
    data.commits.forEach((c, ci) => {
      this.bySha.set(c.sha.toLowerCase(), c);
      c.files.forEach((f, fi) => {
        this.add(f.path, { ci, fi, asOld: false });
        if (f.oldPath !== undefined && f.oldPath !== f.path) this.add(f.oldPath, { ci, fi, asOld: true });
      });
    });
    this.sortedShas = [...this.bySha.keys()].sort();
  }

  /** Every path that appears in the history (current and former names). */
  paths(): string[] {
    return [...this.byPath.keys()];
  }

  /**
   * Changes to the file at `path`, newest first, following renames backwards: once the file is found to have been
   * renamed from an older name, the older name's earlier changes are included. A path later reused by a different
   * file (renamed away, then created again) only yields the changes of the file that holds it now.
   */
  fileChanges(path: string): PathChange[] {
    return this.follow(normalizePath(path)).changes;
  }

  /** Commits touching the file, newest first, following renames backwards. */
  fileHistory(path: string): Commit[] {
    return this.fileChanges(path).map(pc => pc.commit);
  }

  lastChange(path: string): Commit | undefined {
    return this.fileChanges(path)[0]?.commit;
  }

  /** Former names of the file, newest first (without `path` itself). */
  pathsEverNamed(path: string): string[] {
    return this.follow(normalizePath(path)).names.slice(1);
  }

  /** Who changed the file (renames followed), most commits first; one entry per email. */
  authorsOf(path: string): AuthorStat[] {
    const stats = new Map<string, AuthorStat>();
    for (const { commit, change } of this.fileChanges(path)) {
      const key = (commit.email || commit.author).toLowerCase();
      let s = stats.get(key);
      if (!s) {
        s = { name: commit.author, email: commit.email, commits: 0, additions: 0, deletions: 0, lastDate: commit.date };
        stats.set(key, s);
      }
      s.commits++;
      s.additions += change.additions;
      s.deletions += change.deletions;
    }
    return [...stats.values()].sort((a, b) => b.commits - a.commits || (a.lastDate < b.lastDate ? 1 : -1));
  }

  /** The commit with this full sha, or the only commit whose sha starts with this prefix (>= 4 hex digits). */
  commit(shaOrPrefix: string): Commit | undefined {
    const key = shaOrPrefix.trim().toLowerCase();
    const exact = this.bySha.get(key);
    if (exact || key.length < 4 || !/^[0-9a-f]+$/.test(key)) return exact;
    const k = lowerBound(this.sortedShas, key);
    const hit = this.sortedShas[k];
    if (!hit?.startsWith(key) || this.sortedShas[k + 1]?.startsWith(key)) return undefined; // none, or ambiguous
    return this.bySha.get(hit);
  }

  /** Commits whose subject or body contains `text` (case-insensitive), newest first. */
  commitsMatching(text: string): Commit[] {
    const needle = text.trim().toLowerCase();
    if (!needle) return [];
    this.haystacks ??= this.commits.map(c => `${c.subject}\n${c.body}`.toLowerCase());
    const hay = this.haystacks;
    return this.commits.filter((_, k) => hay[k].includes(needle));
  }

  private add(path: string, e: Entry): void {
    const list = this.byPath.get(path);
    if (list) list.push(e);
    else this.byPath.set(path, [e]);
  }

  /** Walks the file's changes from newest to oldest, switching to the older name at each rename. */
  private follow(start: string): { changes: PathChange[]; names: string[] } {
    const changes: PathChange[] = [];
    const names: string[] = [];
    const taken = new Set<number>();
    let name: string | undefined = start;
    let from = 0;
    while (name !== undefined) {
      if (!names.includes(name)) names.push(name);
      const entries = this.byPath.get(name) ?? [];
      let next: string | undefined;
      let took = 0;
      for (let k = firstFrom(entries, from); k < entries.length; k++) {
        const e = entries[k];
        // Renamed away from this name while following a newer file here: older changes belong to the other file.
        if (e.asOld && took > 0) break;
        const commit = this.commits[e.ci];
        const change = commit.files[e.fi];
        took++;
        if (!taken.has(e.ci)) { taken.add(e.ci); changes.push({ commit, change }); }
        if (!e.asOld && change.status === 'R' && change.oldPath !== undefined) {
          next = change.oldPath;
          from = e.ci + 1;
          break;
        }
      }
      name = next;
    }
    return { changes, names };
  }
}

/** Workspace-relative posix form of a path as a user or editor may write it. */
export function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

/** First entry whose commit index is >= ci (entries are in ascending ci order). */
function firstFrom(entries: Entry[], ci: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid].ci < ci) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
