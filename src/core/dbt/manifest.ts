// dbt's artifacts (target/manifest.json, target/catalog.json) as an alternative to parsing the project files:
// read atomically (dbt may be writing them), used only when fresh, converted to the shared data model.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { DbtProjectInfo, ParsedProject, WarehouseCatalog } from '../types';
import { convertCatalog, type CatalogKind } from './manifest-catalog';
import { convertManifest } from './manifest-convert';
import { Locator } from './manifest-locate';
import { ArtifactError, readJsonAtomically, type ReadJsonOptions } from './manifest-read';

export { ArtifactError, readJsonAtomically, type ArtifactProblem, type ReadJsonOptions } from './manifest-read';

/** The caller may pass the workspace folder (the documented use) or the project folder itself. */
function folders(abs: string, info: DbtProjectInfo): { workspaceAbs: string; projectAbs: string } {
  const root = info.root.replace(/\\/g, '/').replace(/\/+$/, '');
  const isProjectDir = !!root && !existsSync(join(abs, info.configPath)) && abs.split(sep).join('/').replace(/\/+$/, '').endsWith(`/${root}`);
  if (!isProjectDir) return { workspaceAbs: abs, projectAbs: join(abs, root) };
  return { workspaceAbs: resolve(abs, ...root.split('/').map(() => '..')), projectAbs: abs };
}

/** info.targetPath is workspace-relative ('shop/target') or absolute; a project-relative 'target' is accepted too. */
function artifactPath(workspaceAbs: string, info: DbtProjectInfo, file: string): string {
  const target = info.targetPath || posixJoin(info.root, 'target');
  const primary = resolve(workspaceAbs, target, file);
  if (existsSync(primary) || !info.root || isAbsolute(target) || target.startsWith(`${info.root}/`)) return primary;
  const projectRelative = resolve(workspaceAbs, info.root, target, file);
  return existsSync(projectRelative) ? projectRelative : primary;
}

function posixJoin(a: string, b: string): string {
  return a ? `${a.replace(/\/+$/, '')}/${b}` : b;
}

function posixRel(from: string, to: string): string {
  const r = relative(from, to);
  return (r.startsWith('..') || isAbsolute(r) ? to : r).split(sep).join('/');
}

/** Absolute path of the project's manifest.json; `abs` is the workspace folder (or the project folder). */
export function manifestPath(abs: string, info: DbtProjectInfo): string {
  return artifactPath(folders(abs, info).workspaceAbs, info, 'manifest.json');
}

export function catalogPath(abs: string, info: DbtProjectInfo): string {
  return artifactPath(folders(abs, info).workspaceAbs, info, 'catalog.json');
}

function mtimeOf(abs: string): number | undefined {
  try {
    return statSync(abs).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * True when manifest.json exists and is at least as new as every given source file. `projectAbs` may be
 * the project folder or the workspace folder; relative source paths are taken from the workspace
 * (as ParsedProject paths are), else from the project. Files that no longer exist are ignored.
 */
export function manifestIsFresh(projectAbs: string, info: DbtProjectInfo, sourceFiles: string[]): boolean {
  const { workspaceAbs, projectAbs: project } = folders(projectAbs, info);
  const manifest = mtimeOf(artifactPath(workspaceAbs, info, 'manifest.json'));
  if (manifest === undefined) return false;
  for (const f of sourceFiles) {
    const m = isAbsolute(f) ? mtimeOf(f) : mtimeOf(join(workspaceAbs, f)) ?? mtimeOf(join(project, f));
    if (m !== undefined && m > manifest) return false;
  }
  return true;
}

/**
 * The project as target/manifest.json describes it (origin 'manifest'), or undefined when there is no manifest.
 * Throws ArtifactError when the manifest is incomplete after retries, is not a manifest, or belongs to another
 * project: callers fall back to parsing the files and show the message.
 */
export async function readManifestProject(workspaceAbs: string, info: DbtProjectInfo, opts: ReadJsonOptions = {}): Promise<ParsedProject | undefined> {
  const ws = folders(workspaceAbs, info).workspaceAbs;
  const abs = artifactPath(ws, info, 'manifest.json');
  if (!existsSync(abs)) return undefined;
  const label = posixRel(ws, abs);
  const raw = await readJsonAtomically(abs, { ...opts, label });
  return convertManifest(raw, info, new Locator(ws, info), label);
}

/**
 * Tables and views of target/catalog.json, linked to their nodes; undefined when there is none. A catalog that
 * cannot be read comes back with `error` set and no tables. `kind` overrides the adapter guess.
 */
export async function readCatalog(
  workspaceAbs: string, info: DbtProjectInfo, opts: ReadJsonOptions & { kind?: CatalogKind } = {},
): Promise<WarehouseCatalog | undefined> {
  const ws = folders(workspaceAbs, info).workspaceAbs;
  const abs = artifactPath(ws, info, 'catalog.json');
  if (!existsSync(abs)) return undefined;
  const origin = posixRel(ws, abs);
  try {
    return convertCatalog(await readJsonAtomically(abs, { ...opts, label: origin }), origin, opts.kind);
  } catch (e) {
    if (!(e instanceof ArtifactError)) throw e;
    return { kind: opts.kind ?? 'duckdb', origin, tables: [], error: e.message };
  }
}
