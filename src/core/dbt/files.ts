// The files a dbt project reads, checked before parsing: too large or binary files are skipped with a problem.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DbtProjectInfo, Problem } from '../types';
import { allProjectPaths, isUnder } from './paths';
import { isVenv, PROJECT_FILE, readDir, skipDir } from './fswalk';

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
  const candidates = await findProjectFiles(workspaceAbs, info);
  const checked = await mapLimit(candidates, rel => inspectFile(workspaceAbs, rel, false));
  const files = [] as unknown as ProjectFileList;
  const skipped: Problem[] = [];
  for (const c of checked) {
    if (c.problem) skipped.push(c.problem);
    else files.push(c.rel);
  }
  problems.push(...skipped);
  files.files = files;
  files.problems = skipped;
  return files;
}

/** Candidate files under the project's folders, sorted, before any size or content check. */
export async function findProjectFiles(workspaceAbs: string, info: DbtProjectInfo): Promise<string[]> {
  const found = new Set<string>();
  const roots = allProjectPaths(info).filter((p, _i, all) => !all.some(o => o !== p && isUnder(p, o)));
  for (const root of roots) await walk(workspaceAbs, info, root, found);
  return [...found].sort();
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

export interface InspectedFile {
  rel: string;
  sizeBytes: number;
  /** Set when the file is skipped (too large, binary, unreadable). */
  problem?: Problem;
  /** The text, when asked for and not skipped (only the beginning of a large seed). */
  content?: string;
}

const isSeed = (rel: string): boolean => rel.toLowerCase().endsWith('.csv');

/** Opens a file once: decides whether it is skipped and, with `withContent`, returns its text. */
export async function inspectFile(workspaceAbs: string, rel: string, withContent: boolean): Promise<InspectedFile> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(path.join(workspaceAbs, rel), 'r');
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES && !isSeed(rel)) {
      return { rel, sizeBytes: size, problem: { path: rel, severity: 'warning', message: `skipped, too large (${(size / 1048576).toFixed(1)} MB > 2 MB); dbt project files are normally much smaller.` } };
    }
    const buf = withContent ? await readText(handle, size) : await readHead(handle, Math.min(size, SNIFF_BYTES));
    if (buf.subarray(0, SNIFF_BYTES).includes(0)) {
      return { rel, sizeBytes: size, problem: { path: rel, severity: 'warning', message: 'skipped, binary file (contains NUL bytes); expected text.' } };
    }
    return withContent ? { rel, sizeBytes: size, content: buf.toString('utf8') } : { rel, sizeBytes: size };
  } catch (e) {
    return { rel, sizeBytes: 0, problem: { path: rel, severity: 'warning', message: `skipped, cannot read: ${(e as Error).message}` } };
  } finally {
    await handle?.close();
  }
}

async function readHead(handle: fs.FileHandle, bytes: number): Promise<Buffer> {
  const buf = Buffer.alloc(bytes);
  const { bytesRead } = await handle.read(buf, 0, bytes, 0);
  return buf.subarray(0, bytesRead);
}

/** The whole file, or for a seed over 2 MB its first 256 KB cut after the last full line. */
async function readText(handle: fs.FileHandle, size: number): Promise<Buffer> {
  if (size <= MAX_FILE_BYTES) return handle.readFile();
  const head = await readHead(handle, SEED_HEAD_BYTES);
  const lastNewline = head.lastIndexOf(10);
  return head.subarray(0, lastNewline < 0 ? head.length : lastNewline + 1);
}

/**
 * Reads a project file as UTF-8. Seeds over 2 MB are read only up to their last full line within the first
 * 256 KB; `sizeBytes` then tells parseFile the real size so it can estimate the row count.
 */
export async function readProjectFile(workspaceAbs: string, relPath: string): Promise<{ content: string; sizeBytes: number }> {
  const handle = await fs.open(path.join(workspaceAbs, relPath), 'r');
  try {
    const { size } = await handle.stat();
    const buf = size > MAX_FILE_BYTES && !isSeed(relPath) ? await handle.readFile() : await readText(handle, size);
    return { content: buf.toString('utf8'), sizeBytes: size };
  } finally {
    await handle.close();
  }
}

/** Maps with at most `limit` calls in flight, keeping order. */
export async function mapLimit<T, R>(items: T[], fn: (item: T) => Promise<R>, limit = 8): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
