// Reads a small fixture dbt project into a ParsedProject, independently of the real parser (src/core/dbt),
// so the warehouse tests only depend on the shared data model. It understands folder configs with `+` keys,
// in-file config(), ref/source calls, models/sources YAML, seeds and macro files: enough for the fixtures here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { ColumnDef, DbtNode, DbtProjectInfo, NodeConfig, ParsedProject, ResourceType } from '../../../src/core/types';

type Obj = Record<string, unknown>;

export function loadFixtureProject(projectDir: string, root = ''): ParsedProject {
  const yml = parse(fs.readFileSync(path.join(projectDir, 'dbt_project.yml'), 'utf8')) as Obj;
  const name = String(yml.name);
  const list = (k: string, d: string) => (Array.isArray(yml[k]) ? (yml[k] as string[]) : [d]);
  const info: DbtProjectInfo = {
    name, root, configPath: path.posix.join(root, 'dbt_project.yml'), profile: yml.profile as string,
    modelPaths: list('model-paths', 'models'), seedPaths: list('seed-paths', 'seeds'), macroPaths: list('macro-paths', 'macros'),
    snapshotPaths: [], testPaths: [], analysisPaths: [], docsPaths: [], targetPath: 'target',
    resourceConfigs: { models: yml.models as Obj, seeds: yml.seeds as Obj }, vars: (yml.vars as Obj) ?? {},
  };
  const rel = (abs: string) => path.posix.join(root, path.relative(projectDir, abs).split(path.sep).join('/'));
  const nodes: DbtNode[] = [];
  for (const dir of info.modelPaths) {
    for (const f of walk(path.join(projectDir, dir))) {
      const folders = path.relative(path.join(projectDir, dir), path.dirname(f)).split(path.sep).filter(Boolean);
      const base = path.basename(f).replace(/\.[^.]+$/, '');
      if (f.endsWith('.sql')) nodes.push(modelNode(name, base, fs.readFileSync(f, 'utf8'), folderConfig(yml.models, name, [...folders, base]), rel(f)));
    }
  }
  for (const dir of info.seedPaths) {
    for (const f of walk(path.join(projectDir, dir)).filter(x => x.endsWith('.csv'))) {
      const base = path.basename(f, '.csv');
      nodes.push(node('seed', `seed.${name}.${base}`, base, name, { config: folderConfig(yml.seeds, name, [base]), location: { path: rel(f), startLine: 1, endLine: 1 } }));
    }
  }
  for (const dir of info.macroPaths) {
    for (const f of walk(path.join(projectDir, dir)).filter(x => x.endsWith('.sql'))) {
      const text = fs.readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\{%-?\s*macro\s+(\w+)[\s\S]*?\{%-?\s*endmacro\s*-?%\}/g)) {
        nodes.push(node('macro', `macro.${name}.${m[1]}`, m[1], name, { rawCode: m[0], location: { path: rel(f), startLine: 1, endLine: 1 } }));
      }
    }
  }
  for (const dir of info.modelPaths) {
    for (const f of walk(path.join(projectDir, dir)).filter(x => x.endsWith('.yml'))) applyYaml(parse(fs.readFileSync(f, 'utf8')) as Obj, name, nodes);
  }
  return { info, nodes, docBlocks: [], problems: [], origin: 'files' };
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])).sort();
}

function node(resourceType: ResourceType, uniqueId: string, name: string, project: string, extra: Partial<DbtNode> = {}): DbtNode {
  return {
    uniqueId, resourceType, name, project, docRefs: [], columns: [], tests: [], config: { tags: [], other: {} }, tags: [], meta: {},
    refs: [], sources: [], macros: [], ctes: [], isIncremental: false, props: {}, ...extra,
  };
}

/** `+key` settings of dbt_project.yml inherited down the folder path. */
function folderConfig(section: unknown, project: string, pathParts: string[]): NodeConfig {
  const cfg: NodeConfig = { tags: [], other: {} };
  let level = (section as Obj | undefined)?.[project] as Obj | undefined;
  for (let i = 0; level; i++) {
    for (const [k, v] of Object.entries(level)) if (k.startsWith('+')) setConfig(cfg, k.slice(1), v);
    level = pathParts[i] ? (level[pathParts[i]] as Obj | undefined) : undefined;
  }
  return cfg;
}

function setConfig(cfg: NodeConfig, key: string, v: unknown): void {
  if (key === 'materialized' || key === 'schema' || key === 'alias' || key === 'database') cfg[key] = String(v);
  else if (key === 'enabled') cfg.enabled = Boolean(v);
  else cfg.other[key] = v;
}

function modelNode(project: string, name: string, sql: string, cfg: NodeConfig, file: string): DbtNode {
  const inFile = /\{\{\s*config\(([\s\S]*?)\)\s*\}\}/.exec(sql)?.[1] ?? '';
  for (const m of inFile.matchAll(/(\w+)\s*=\s*'([^']*)'/g)) setConfig(cfg, m[1], m[2]);
  const refs = [...sql.matchAll(/ref\(\s*'([^']+)'(?:\s*,\s*'([^']+)')?\s*\)/g)].map(m => (m[2] ? { package: m[1], name: m[2] } : { name: m[1] }));
  const sources = [...sql.matchAll(/source\(\s*'([^']+)'\s*,\s*'([^']+)'\s*\)/g)].map(m => ({ source: m[1], table: m[2] }));
  return node('model', `model.${project}.${name}`, name, project, {
    config: cfg, rawCode: sql, language: 'sql', refs, sources, isIncremental: cfg.materialized === 'incremental',
    location: { path: file, startLine: 1, endLine: sql.split('\n').length },
  });
}

function columns(list: unknown): ColumnDef[] {
  return ((list as Obj[] | undefined) ?? []).map(c => ({
    name: String(c.name), description: c.description as string | undefined, tests: [], constraints: [], meta: {}, tags: [], docRefs: [],
  }));
}

function applyYaml(doc: Obj, project: string, nodes: DbtNode[]): void {
  for (const m of (doc.models as Obj[] | undefined) ?? []) {
    const n = nodes.find(x => x.resourceType === 'model' && x.name === m.name);
    if (n) { n.description = m.description as string | undefined; n.columns = columns(m.columns); }
  }
  for (const s of (doc.sources as Obj[] | undefined) ?? []) {
    for (const t of (s.tables as Obj[] | undefined) ?? []) {
      const schema = s.schema as string | undefined;
      nodes.push(node('source', `source.${project}.${s.name}.${t.name}`, String(t.name), project, {
        description: t.description as string | undefined, columns: columns(t.columns), props: { source_name: s.name, ...(schema ? { schema } : {}) },
        relation: { schema, identifier: String(t.identifier ?? t.name) },
      }));
    }
  }
}
