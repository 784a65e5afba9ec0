// Which configured folder of a project a file belongs to, and what dbt does with it there.

import path from 'node:path';
import type { DbtProjectInfo } from '../types';

export type PathRole = 'model' | 'seed' | 'snapshot' | 'macro' | 'test' | 'analysis' | 'docs';

/** Workspace-relative posix path of `p` joined under `root`, normalised ('' for the workspace root). */
export function joinRel(root: string, p: string): string {
  const joined = path.posix.normalize(path.posix.join(root || '.', p.replace(/\\/g, '/')));
  const trimmed = joined.replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}

export function isUnder(relPath: string, dir: string): boolean {
  return dir === '' || relPath === dir || relPath.startsWith(dir + '/');
}

/** Every folder the project reads, deduplicated (resource paths first, then docs paths). */
export function allProjectPaths(info: DbtProjectInfo): string[] {
  return [...new Set([
    ...info.modelPaths, ...info.seedPaths, ...info.snapshotPaths, ...info.macroPaths,
    ...info.testPaths, ...info.analysisPaths, ...info.docsPaths,
  ])];
}

function rolePaths(info: DbtProjectInfo): [PathRole, string[]][] {
  return [
    ['model', info.modelPaths], ['snapshot', info.snapshotPaths], ['seed', info.seedPaths],
    ['test', info.testPaths], ['analysis', info.analysisPaths], ['macro', info.macroPaths],
  ];
}

/** The resource folder holding `relPath` (the deepest match wins), or 'docs' for a docs-only folder. */
export function classifyPath(info: DbtProjectInfo, relPath: string): { role: PathRole; base: string } | undefined {
  let best: { role: PathRole; base: string } | undefined;
  for (const [role, dirs] of rolePaths(info)) {
    for (const dir of dirs) {
      if (isUnder(relPath, dir) && (!best || dir.length > best.base.length)) best = { role, base: dir };
    }
  }
  if (best) return best;
  const docs = info.docsPaths.find(d => isUnder(relPath, d));
  return docs !== undefined ? { role: 'docs', base: docs } : undefined;
}

/** Folders between the resource folder and the file: models/marts/finance/x.sql → ['marts', 'finance']. */
export function foldersUnder(base: string, relPath: string): string[] {
  const rest = base ? relPath.slice(base.length + 1) : relPath;
  const parts = rest.split('/');
  parts.pop();
  return parts.filter(Boolean);
}
