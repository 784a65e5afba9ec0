// dbt_project.yml → DbtProjectInfo, with dbt's defaults and legacy key names.

import { isScalar, LineCounter, parseDocument } from 'yaml';
import type { DbtProjectInfo, Problem } from '../types';
import { isRecord } from './config';
import { joinRel } from './paths';

const DEFAULTS = {
  modelPaths: ['models'], seedPaths: ['seeds'], macroPaths: ['macros'], snapshotPaths: ['snapshots'],
  testPaths: ['tests'], analysisPaths: ['analyses'],
};

/**
 * Reads one dbt_project.yml. `configPath` is workspace-relative ('dbt_project.yml' or 'proj/dbt_project.yml').
 * No info (and an error problem with its line) when the file is not valid YAML or has no `name:`.
 */
export function parseProjectConfig(configPath: string, content: string): { info?: DbtProjectInfo; problems: Problem[] } {
  const problems: Problem[] = [];
  const fail = (line: number, message: string) => ({ problems: [...problems, { path: configPath, line, severity: 'error' as const, message }] });
  const lc = new LineCounter();
  const doc = parseDocument(content, { lineCounter: lc, uniqueKeys: false, merge: true });
  if (doc.errors.length) {
    const err = doc.errors[0];
    return fail(err.linePos?.[0].line ?? 1,
      `dbt_project.yml is not valid YAML (${err.message.split('\n')[0].replace(/:$/, '')}); this project is skipped until it is fixed.`);
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (!isRecord(raw)) return fail(1, 'dbt_project.yml must be a mapping with at least `name:`; this project is skipped.');
  if (typeof raw.name !== 'string' || !raw.name.trim()) {
    return fail(1, 'dbt_project.yml has no `name:`; dbt requires one (e.g. `name: my_project`). This project is skipped.');
  }
  const slash = configPath.lastIndexOf('/');
  const root = slash < 0 ? '' : configPath.slice(0, slash);
  const paths = (keys: string[], fallback: string[]): string[] => {
    const key = keys.find(k => raw[k] !== undefined && raw[k] !== null);
    const list = key === undefined ? fallback : toStringList(raw[key]);
    const line = key === undefined ? undefined : keyLine(content, key);
    return [...new Set(list.flatMap(p => resolvePath(root, p, { path: configPath, line }, problems)))];
  };
  const info: DbtProjectInfo = {
    name: raw.name.trim(),
    root,
    configPath,
    modelPaths: paths(['model-paths', 'source-paths'], DEFAULTS.modelPaths),
    seedPaths: paths(['seed-paths', 'data-paths'], DEFAULTS.seedPaths),
    macroPaths: paths(['macro-paths'], DEFAULTS.macroPaths),
    snapshotPaths: paths(['snapshot-paths'], DEFAULTS.snapshotPaths),
    testPaths: paths(['test-paths'], DEFAULTS.testPaths),
    analysisPaths: paths(['analysis-paths'], DEFAULTS.analysisPaths),
    docsPaths: [],
    targetPath: joinRel(root, typeof raw['target-path'] === 'string' ? raw['target-path'] : 'target'),
    resourceConfigs: {},
    vars: isRecord(raw.vars) ? raw.vars : {},
  };
  // dbt looks for docs blocks in every resource path unless docs-paths says otherwise.
  info.docsPaths = paths(['docs-paths'], []);
  if (raw['docs-paths'] === undefined || raw['docs-paths'] === null) {
    info.docsPaths = [...new Set([
      ...info.modelPaths, ...info.seedPaths, ...info.macroPaths, ...info.snapshotPaths, ...info.testPaths, ...info.analysisPaths,
    ])];
  }
  if (typeof raw.profile === 'string') info.profile = raw.profile;
  // As written: `version: 1.10` would otherwise read as the number 1.1.
  const version = doc.get('version', true);
  if (raw.version !== undefined && raw.version !== null) info.version = isScalar(version) && version.source ? version.source : String(raw.version);
  const req = raw['require-dbt-version'];
  if (typeof req === 'string' || Array.isArray(req)) info.requireDbtVersion = toStringList(req).join(', ');
  for (const key of ['models', 'seeds', 'snapshots', 'sources'] as const) {
    if (isRecord(raw[key])) info.resourceConfigs[key] = raw[key] as Record<string, unknown>;
  }
  return { info, problems };
}

function toStringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter(x => typeof x === 'string' || typeof x === 'number').map(String);
  return [];
}

/** 1-based line of a top-level `key:` in the file, for problems. */
function keyLine(content: string, key: string): number | undefined {
  const at = content.search(new RegExp(`^['"]?${key}['"]?\\s*:`, 'm'));
  return at < 0 ? undefined : content.slice(0, at).split('\n').length;
}

/** Project-relative path → workspace-relative; paths outside the workspace are reported and dropped. */
function resolvePath(root: string, p: string, at: { path: string; line?: number }, problems: Problem[]): string[] {
  const rel = joinRel(root, p);
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || rel === '..' || rel.startsWith('../')) {
    problems.push({
      path: at.path, line: at.line, severity: 'warning',
      message: `Path '${p}' points outside the workspace; it is not read. Use a path relative to the project folder.`,
    });
    return [];
  }
  return [rel];
}
