// The files a dbt project reads, checked before parsing: too large or binary files are skipped with a problem.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DbtProjectInfo, Problem } from '../types';
import { allProjectPaths, isUnder } from './paths';
import { isVenv, PROJECT_FILE, readDir, skipDir } from './discover';

/** Files above this size are skipped (seeds excepted: only their beginning is read). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** How much of a large seed is read to get its header and estimate its row count. */
export const SEED_HEAD_BYTES = 256 * 1024;
const SNIFF_BYTES = 8000;
const PROJECT_EXTENSIONS = new Set(['.sql', '.py', '.yml', '.yaml', '.md', '.csv']);

/** The listed paths (a plain string[]); `.files` is the same list and `.problems` the files skipped. */
export type ProjectFileList = string[] & { files: string[]; problems: Problem[] };

/**
 * Workspace-relative posix paths of every .sql/.py/.yml/.yaml/.md/.csv file under the project's configured
 * folders, sorted. Files over 2 MB (except seeds) and binary files are skipped with a problem pushed to
 * `problems`. Folders of nested projects, packages, target/ and dot-folders are not entered.
 */
export async function listProjectFiles(workspaceAbs: string, info: DbtProjectInfo, problems: Problem[] = []): Promise<ProjectFileList> {
  const found = new Set<string>();
  const roots = allProjectPaths(info).filter((p, _i, all) => !all.some(o => o !== p && isUnder(p, o)));
  for (const root of roots) await walk(workspaceAbs, info, root, found);
  const files = [] as unknown as ProjectFileList;
  const skipped: Problem[] = [];
  for (const rel of [...found].sort()) {
    const verdict = await checkFile(path.join(workspaceAbs, rel), rel);
    if (verdict) skipped.push(verdict);
    else files.push(rel);
  }
  problems.push(...skipped);
  files.files = files;
  files.problems = skipped;
  return files;
}

async function walk(workspaceAbs: string, info: DbtProjectInfo, root: string, found: Set<string>): Promise<void> {
  const queue = [root];
  while (queue.length) {
    const rel = queue.shift()!;
    const entries = await readDir(path.join(workspaceAbs, rel));
    // Another project's folder belongs to that project (monorepos); a virtualenv to nobody.
    if (rel !== info.root && entries.some(e => e.isFile() && e.name === PROJECT_FILE)) continue;
    if (rel && isVenv(entries)) continue;
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!skipDir(e) && childRel !== info.targetPath) queue.push(childRel);
      } else if (e.isFile() && PROJECT_EXTENSIONS.has(path.extname(e.name).toLowerCase()) && e.name !== PROJECT_FILE) {
        found.add(childRel);
      }
    }
  }
}

/** A problem when the file must be skipped (too large, binary, unreadable); undefined when it is fine. */
async function checkFile(abs: string, rel: string): Promise<Problem | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(abs, 'r');
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES && !rel.toLowerCase().endsWith('.csv')) {
      return { path: rel, severity: 'warning', message: `skipped, too large (${(size / 1048576).toFixed(1)} MB > 2 MB); dbt project files are normally much smaller.` };
    }
    const buf = Buffer.alloc(Math.min(size, SNIFF_BYTES));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    if (buf.subarray(0, bytesRead).includes(0)) {
      return { path: rel, severity: 'warning', message: 'skipped, binary file (contains NUL bytes); expected text.' };
    }
    return undefined;
  } catch (e) {
    return { path: rel, severity: 'warning', message: `skipped, cannot read: ${(e as Error).message}` };
  } finally {
    await handle?.close();
  }
}

/**
 * Reads a project file as UTF-8. Seeds over 2 MB are read only up to their last full line within the first
 * 256 KB; `sizeBytes` then tells parseFile the real size so it can estimate the row count.
 */
export async function readProjectFile(workspaceAbs: string, relPath: string): Promise<{ content: string; sizeBytes: number }> {
  const abs = path.join(workspaceAbs, relPath);
  const handle = await fs.open(abs, 'r');
  try {
    const { size } = await handle.stat();
    if (size <= MAX_FILE_BYTES || !relPath.toLowerCase().endsWith('.csv')) {
      return { content: await handle.readFile('utf8'), sizeBytes: size };
    }
    const buf = Buffer.alloc(SEED_HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    const lastNewline = head.lastIndexOf(10);
    return { content: head.subarray(0, lastNewline < 0 ? bytesRead : lastNewline + 1).toString('utf8'), sizeBytes: size };
  } finally {
    await handle.close();
  }
}
