// Finding dbt projects in a workspace. Reads the disk; never writes.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DbtProjectInfo, Problem } from '../types';
import { isVenv, PROJECT_FILE, readDir, skipDir } from './fswalk';
import { parseProjectConfig } from './project';

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
  // By folder: the workspace root's project first, a parent before the projects nested in it.
  projects.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  return { projects, problems };
}

export { listProjectFiles, readProjectFile } from './files';
