// Finding dbt projects in a workspace. Reads the disk; never writes.

import { promises as fs, Dirent } from 'node:fs';
import path from 'node:path';
import type { DbtProjectInfo, Problem } from '../types';
import { parseProjectConfig } from './project';

/** Folder names never entered: installed packages, build output, dependencies, Python environments. */
const SKIP_DIRS = new Set(['dbt_packages', 'dbt_modules', 'target', 'node_modules', 'site-packages', 'dist-packages', '__pycache__']);
export const PROJECT_FILE = 'dbt_project.yml';

export function skipDir(entry: Dirent): boolean {
  return entry.name.startsWith('.') || SKIP_DIRS.has(entry.name);
}

export async function readDir(abs: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(abs, { withFileTypes: true });
  } catch {
    return []; // unreadable or vanished folder: nothing to find there
  }
}

/** True for a Python virtual environment (holds pyvenv.cfg): dbt's own packages ship dbt_project.yml files. */
export function isVenv(entries: Dirent[]): boolean {
  return entries.some(e => e.isFile() && e.name === 'pyvenv.cfg');
}

/**
 * Every dbt_project.yml in the workspace (nested projects included), except under dbt_packages/, target/,
 * node_modules/, dot-folders and Python environments. Symbolic links are not followed.
 */
export async function discoverProjects(workspaceAbs: string): Promise<{ projects: DbtProjectInfo[]; problems: Problem[] }> {
  const configs: string[] = [];
  const queue = [''];
  while (queue.length) {
    const rel = queue.shift()!;
    const entries = await readDir(path.join(workspaceAbs, rel));
    if (rel && isVenv(entries)) continue;
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && !skipDir(e)) queue.push(childRel);
      else if (e.isFile() && e.name === PROJECT_FILE) configs.push(childRel);
    }
  }
  const projects: DbtProjectInfo[] = [];
  const problems: Problem[] = [];
  for (const configPath of configs.sort()) {
    let content: string;
    try {
      content = await fs.readFile(path.join(workspaceAbs, configPath), 'utf8');
    } catch (e) {
      problems.push({ path: configPath, severity: 'error', message: `Cannot read dbt_project.yml: ${(e as Error).message}` });
      continue;
    }
    const r = parseProjectConfig(configPath, content);
    problems.push(...r.problems);
    if (r.info) projects.push(r.info);
  }
  return { projects, problems };
}

export { listProjectFiles, readProjectFile } from './files';
