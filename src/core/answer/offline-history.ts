// Offline answers from git history: who changed a model (or file) and what changed, following renames.
import type { Commit } from '../types';
import type { Handler } from './offline';
import { displayName } from '../documents/describe';

const SHOWN = 5;

export const historyAnswer: Handler = (_q, ctx, found, cites) => {
  const { history, historyData } = ctx.snap;
  const partial = historyData.partial ? `\n\n_Note: the git history is incomplete (${historyData.reason ?? 'partial'})._` : '';
  if (!historyData.commits.length) {
    return `There is no git history for this workspace (${historyData.reason ?? 'no commits'}), so I cannot say who changed what.`;
  }
  const file = mentionedPath(_q, history.paths());
  if (file && !found.all.some(m => m.via === 'path')) return fileHistoryAnswer(file, history.fileHistory(file), cites, partial);
  const node = found.node;
  if (!node) {
    const recent = historyData.commits.slice(0, SHOWN);
    return `The most recent changes in the workspace:\n${recent.map(c => commitLine(c, cites.add(commitCite(c)))).join('\n')}${partial}`;
  }
  const paths = [node.location?.path, node.yamlLocation?.path].filter((p): p is string => !!p);
  const commits = dedupe(paths.flatMap(p => history.fileHistory(p))).sort((a, b) => b.date.localeCompare(a.date));
  const fileCite = cites.node(node);
  if (!commits.length) return `\`${displayName(node)}\` ${fileCite} has no commits in the history: it is new or uncommitted.${partial}`;
  const last = commits[0];
  const authors = countAuthors(commits);
  const list = commits.slice(0, SHOWN).map(c => commitLine(c, cites.add({ ...commitCite(c), path: pathIn(c, paths) })));
  return `\`${displayName(node)}\` ${fileCite} was last changed by **${last.author}** on ${last.date.slice(0, 10)} ("${last.subject}").\n` +
    `${commits.length} commit${commits.length > 1 ? 's' : ''} touch it (${authors}); the latest:\n${list.join('\n')}${partial}`;
};

/** A file the question names ("dbt_project.yml", "models/x.sql") that has history. */
function mentionedPath(q: string, paths: string[]): string | undefined {
  for (const tok of q.match(/[\w./-]+\.(?:sql|ya?ml|md|csv|py|json)\b/gi) ?? []) {
    const t = tok.replace(/^\.\//, '');
    const hit = paths.find(p => p === t) ?? paths.find(p => p.endsWith(`/${t}`));
    if (hit) return hit;
  }
  return undefined;
}

function fileHistoryAnswer(file: string, commits: Commit[], cites: Parameters<Handler>[3], partial: string): string {
  const fileCite = cites.range({ path: file, startLine: 1, endLine: 1 }, 'file');
  if (!commits.length) return `\`${file}\` ${fileCite} has no commits in the history.${partial}`;
  const list = commits.slice(0, SHOWN).map(c => commitLine(c, cites.add({ ...commitCite(c), path: file })));
  return `\`${file}\` ${fileCite}: ${commits.length} commit${commits.length > 1 ? 's' : ''} (${countAuthors(commits)}); the latest:\n${list.join('\n')}${partial}`;
}

function commitCite(c: Commit) {
  return { path: c.files[0]?.path ?? '', commit: c.sha, kind: 'commit', title: c.subject };
}

/** The path of the commit that matches the node (its name may have been different then). */
function pathIn(c: Commit, paths: string[]): string {
  return paths.find(p => c.files.some(f => f.path === p)) ?? paths[0] ?? c.files[0]?.path ?? '';
}

function commitLine(c: Commit, n: number): string {
  const stat = c.files.reduce((s, f) => ({ a: s.a + f.additions, d: s.d + f.deletions }), { a: 0, d: 0 });
  return `- \`${c.sha.slice(0, 8)}\` ${c.date.slice(0, 10)} ${c.author}: ${c.subject} (+${stat.a}/-${stat.d}) [${n}]`;
}

function countAuthors(commits: Commit[]): string {
  const counts = new Map<string, number>();
  for (const c of commits) counts.set(c.author, (counts.get(c.author) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([a, n]) => `${a} ×${n}`).join(', ');
}

function dedupe(commits: Commit[]): Commit[] {
  return [...new Map(commits.map(c => [c.sha, c])).values()];
}
