// Reads a workspace's git history in one `git log` pass (asking git per file is ~50x slower).
// Never throws: a missing git, a folder outside any repository, a shallow clone or a damaged
// repository all yield whatever history could be read, flagged `partial` with a reason.
import { stat } from 'node:fs/promises';
import type { Commit, FileChange, GitHistoryData } from '../types';
import { LOG_FORMAT, parseLog } from './logParse';
import { gitError, runGit } from './run';

export { HistoryIndex } from './historyIndex';
export type { AuthorStat, PathChange } from './historyIndex';

export const DEFAULT_MAX_COMMITS = 20_000;

export interface ReadHistoryOptions {
  /** Newest commits to read (default 20,000). */
  maxCommits?: number;
  /** Read only the commits after this one (HEAD moved). Unknown or no longer an ancestor of HEAD → full read. */
  sinceSha?: string;
  /** Git executable (default `git` on PATH). */
  gitPath?: string;
}

/** GitHistoryData plus how it was read. */
export interface HistoryRead extends GitHistoryData {
  /** Set when `commits` holds only the commits after this sha (an incremental read); absent for a full read. */
  since?: string;
  /** True when maxCommits cut the history short (older commits exist but were not read). */
  truncated?: boolean;
}

interface RepoInfo {
  /** Workspace folder relative to the repository root, posix with trailing slash ('' at the root). */
  prefix: string;
  shallow: boolean;
  head?: string;
}

/** Reads the history of the workspace folder, newest first, paths relative to the workspace. */
export async function readHistory(workspaceAbs: string, opts: ReadHistoryOptions = {}): Promise<HistoryRead> {
  const git = opts.gitPath ?? 'git';
  const max = Math.max(1, Math.floor(opts.maxCommits ?? DEFAULT_MAX_COMMITS));
  const folderProblem = await checkFolder(workspaceAbs);
  if (folderProblem) return failed(folderProblem);
  const repo = await repoInfo(workspaceAbs, git);
  if (typeof repo === 'string') return failed(repo);
  if (!repo.head) return { commits: [], partial: false, reason: 'the repository has no commits yet' };

  const since = opts.sinceSha && await isAncestor(workspaceAbs, git, opts.sinceSha) ? opts.sinceSha : undefined;
  const range = since ? `${since}..${repo.head}` : repo.head;
  const walk = await walkLog(workspaceAbs, git, range, max, repo.prefix);
  const commits = inWorkspace(walk.commits, repo.prefix, walk.noDiff);
  const reasons = [
    repo.shallow ? 'shallow clone: commits before the clone depth are missing (run `git fetch --unshallow` for the full history)' : '',
    walk.error ?? '',
  ].filter(Boolean);
  const out: HistoryRead = { commits, head: repo.head, partial: reasons.length > 0 };
  if (reasons.length) out.reason = reasons.join('; ');
  if (since) out.since = since;
  if (walk.listed >= max) out.truncated = true;
  return out;
}

/**
 * Brings `previous` (a full read) up to date: reads only the commits after previous.head when HEAD moved forward,
 * else (rebase, reset, previous partial) reads everything again. Returns full history.
 */
export async function updateHistory(workspaceAbs: string, previous: GitHistoryData,
  opts: Omit<ReadHistoryOptions, 'sinceSha'> = {}): Promise<HistoryRead> {
  const sinceSha = previous.partial ? undefined : previous.head;
  const next = await readHistory(workspaceAbs, { ...opts, sinceSha });
  if (!next.since) return next;
  const max = Math.max(1, Math.floor(opts.maxCommits ?? DEFAULT_MAX_COMMITS));
  const rest: HistoryRead = { ...next };
  delete rest.since;
  if (next.truncated) return rest; // more new commits than the limit: the new ones alone are the newest `max`
  const seen = new Set(next.commits.map(c => c.sha));
  const merged = next.commits.concat(previous.commits.filter(c => !seen.has(c.sha)));
  const out: HistoryRead = { ...rest, commits: merged.slice(0, max) };
  if (merged.length > max || (previous as HistoryRead).truncated) out.truncated = true;
  else delete out.truncated;
  return out;
}

function failed(reason: string): HistoryRead {
  return { commits: [], partial: true, reason };
}

async function checkFolder(dir: string): Promise<string | undefined> {
  try {
    if (!(await stat(dir)).isDirectory()) return `workspace path is not a folder: ${dir}`;
  } catch {
    return `workspace folder does not exist: ${dir}`;
  }
  return undefined;
}

/** Repository facts, or the reason history cannot be read. */
async function repoInfo(cwd: string, git: string): Promise<RepoInfo | string> {
  const r = await runGit(['rev-parse', '--show-prefix', '--is-shallow-repository'], cwd, git);
  if (r.notFound) return `git is not installed or not on PATH (tried "${git}"): install git to index history`;
  if (r.code !== 0) {
    if (/not a git repository/i.test(r.stderr)) return 'not a git repository';
    return `git cannot read the repository: ${gitError(r.stderr)}`;
  }
  const [prefix = '', shallow = ''] = r.stdout.split('\n');
  const h = await runGit(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], cwd, git);
  const head = h.code === 0 ? h.stdout.trim() : undefined;
  return { prefix, shallow: shallow.trim() === 'true', head };
}

async function isAncestor(cwd: string, git: string, sha: string): Promise<boolean> {
  if (!/^[0-9a-f]{4,64}$/i.test(sha)) return false;
  const r = await runGit(['merge-base', '--is-ancestor', sha, 'HEAD'], cwd, git);
  return r.code === 0;
}

interface Walk {
  /** Commits in git's order, before dropping the ones that touch nothing in the workspace. */
  commits: Commit[];
  /** How many commits git listed (to tell whether maxCommits was reached). */
  listed: number;
  /** Commits read without any diff (bare fallback): kept even though their files are unknown. */
  noDiff: Set<string>;
  error?: string;
}

// Each level needs fewer objects than the one before: line counts and rename detection read blobs,
// file names need only trees, the bare walk only commits. A damaged repository falls back level by level.
const LEVELS: { name: string; args: string[] }[] = [
  { name: 'full', args: ['--raw', '--numstat', '-M'] },
  { name: 'names', args: ['--raw', '--no-renames'] },
  { name: 'bare', args: [] },
];

async function walkLog(cwd: string, git: string, range: string, max: number, prefix: string): Promise<Walk> {
  const commits: Commit[] = [];
  const seen = new Set<string>();
  const noDiff = new Set<string>();
  const errors: string[] = [];
  // The bare walk cannot tell which commits touch a subfolder, so it only helps at the repository root.
  const levels = prefix ? LEVELS.slice(0, 2) : LEVELS;
  for (const level of levels) {
    const r = await runGit(logArgs(level.args, range, max, prefix), cwd, git);
    const parsed = parseLog(r.stdout);
    const complete = r.code === 0 ? parsed : parsed.slice(0, -1); // the last one may be cut off
    for (const c of complete) {
      if (seen.has(c.sha)) continue;
      seen.add(c.sha);
      commits.push(c);
      if (level.args.length === 0) noDiff.add(c.sha);
    }
    if (r.code === 0) break;
    errors.push(`${level.name} read stopped: ${gitError(r.stderr)}`);
  }
  const walk: Walk = { commits, listed: commits.length, noDiff };
  if (errors.length) {
    walk.error = `git log failed (damaged repository or missing objects; run \`git fsck\`): ${errors.join('; ')}`;
  }
  return walk;
}

function logArgs(diffArgs: string[], range: string, max: number, prefix: string): string[] {
  const args = [
    '-c', 'diff.relative=false', '-c', 'log.showSignature=false', '-c', 'core.quotePath=false',
    'log', '-z', `--format=${LOG_FORMAT}`, '--encoding=UTF-8', '--no-merges', '--no-color',
    '--no-ext-diff', '--no-textconv', `--max-count=${max}`, ...diffArgs,
  ];
  // git runs in the workspace folder, so '.' limits the walk to it; --full-history keeps every commit touching it.
  if (prefix) args.push('--full-history');
  args.push(range, '--');
  if (prefix) args.push('.');
  return args;
}

/** Keeps the changes inside the workspace, with workspace-relative paths; drops commits left without changes
 *  (merges, empty commits, commits elsewhere in the repository) except those read without any diff information. */
function inWorkspace(commits: Commit[], prefix: string, noDiff: Set<string>): Commit[] {
  const out: Commit[] = [];
  for (const c of commits) {
    const files = prefix ? c.files.map(f => relocate(f, prefix)).filter((f): f is FileChange => f !== undefined) : c.files;
    if (files.length || noDiff.has(c.sha)) out.push(files === c.files ? c : { ...c, files });
  }
  return out;
}

/** The change seen from the workspace folder; a rename across its border becomes an add or a delete. */
function relocate(f: FileChange, prefix: string): FileChange | undefined {
  const inNew = f.path.startsWith(prefix);
  const inOld = f.oldPath !== undefined && f.oldPath.startsWith(prefix);
  const strip = (p: string) => p.slice(prefix.length);
  if (inNew && inOld) return { ...f, path: strip(f.path), oldPath: strip(f.oldPath as string) };
  if (inNew) return { path: strip(f.path), additions: f.additions, deletions: f.deletions, status: f.status === 'R' ? 'A' : f.status };
  if (inOld) return { path: strip(f.oldPath as string), additions: f.additions, deletions: f.deletions, status: 'D' };
  return undefined;
}
