// Folder walking rules shared by project discovery and file listing.

import { promises as fs, Dirent } from 'node:fs';

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
