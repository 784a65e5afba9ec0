// The demo's dbt-less build: loads seeds and runs the project's SQL models into a fresh DuckDB file, rendering
// only the Jinja dbt projects commonly use (see renderModel). A model that needs more fails with the reason;
// the others still build. The file is written next to dbPath and renamed into place when done.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { DbtNode, ParsedProject } from '../types';
import { planBuild, type BuildPlan, type PlannedRelation, type PlannedSource } from './buildPlan';
import { WarehouseError, firstLine } from './duckdbOpen';
import { JinjaError, extractMacros, type MacroDef } from './jinjaLite';
import { quoteIdent, sqlString } from './relations';
import { projectSchemaNamer, renderDescription, renderModelSql, type RenderEnv } from './renderModel';

export interface LocalBuildOptions {
  /** Schema of the profile target (default 'main'); custom schemas become `<target>_<custom>`. */
  targetSchema?: string;
}

export interface LocalBuildResult {
  /** unique_ids of the seeds, models and snapshots built, in build order. */
  built: string[];
  failed: { node: string; reason: string }[];
}

/** Builds the project into `dbPath` (replacing it). Throws a WarehouseError only when the file cannot be written. */
export async function buildLocalWarehouse(project: ParsedProject, projectAbs: string, dbPath: string, opts: LocalBuildOptions = {}): Promise<LocalBuildResult> {
  const targetSchema = opts.targetSchema ?? 'main';
  const database = path.basename(dbPath).replace(/\.[^.]*$/, '');
  const macros = collectMacros(project, projectAbs);
  const plan = planBuild(project, targetSchema, projectSchemaNamer(macros, targetSchema, database));
  const tmp = `${dbPath}.building-${process.pid}`;
  removeDatabase(tmp);
  let instance: DuckDBInstance;
  try {
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    instance = await DuckDBInstance.create(tmp);
  } catch (e) {
    throw new WarehouseError(`Cannot create the local DuckDB build at ${tmp}: ${firstLine((e as Error).message)}`);
  }
  const connection = await instance.connect();
  let result: LocalBuildResult;
  try {
    const builder = new Builder(connection, project, projectAbs, plan, { plan, project: project.info.name, vars: project.info.vars ?? {}, macros, database, failed: new Map() });
    result = await builder.run();
    await connection.run('CHECKPOINT');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  // A stale WAL next to the old file would be replayed onto the new one.
  removeDatabase(dbPath);
  fs.renameSync(tmp, dbPath);
  return result;
}

function removeDatabase(p: string): void {
  for (const f of [p, `${p}.wal`]) fs.rmSync(f, { force: true });
}

class Builder {
  private readonly result: LocalBuildResult = { built: [], failed: [] };
  private readonly failed: Map<string, string>;
  private readonly schemas = new Set<string>();

  constructor(private readonly c: DuckDBConnection, private readonly project: ParsedProject, private readonly projectAbs: string, private readonly plan: BuildPlan, private readonly env: RenderEnv) {
    this.failed = env.failed;
  }

  async run(): Promise<LocalBuildResult> {
    for (const seed of this.plan.seeds) await this.step(seed.node, () => this.buildSeed(seed));
    for (const source of this.plan.sources) await this.backSource(source);
    for (const model of this.plan.models) await this.step(model.node, () => this.buildModel(model));
    for (const u of this.plan.unordered) this.fail(u.node, u.reason);
    return this.result;
  }

  private async step(node: DbtNode, build: () => Promise<void>): Promise<void> {
    try {
      await build();
      this.result.built.push(node.uniqueId);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.fail(node, e instanceof JinjaError ? `cannot render its Jinja: ${msg}; build it with dbt` : msg);
    }
  }

  private fail(node: DbtNode, reason: string): void {
    this.failed.set(node.uniqueId, reason);
    this.result.failed.push({ node: node.uniqueId, reason });
  }

  private async exec(sql: string): Promise<void> {
    try {
      await this.c.run(sql);
    } catch (e) {
      throw new Error(`DuckDB: ${firstLine((e as Error).message)}`);
    }
  }

  private async ensureSchema(schema: string): Promise<void> {
    if (this.schemas.has(schema.toLowerCase())) return;
    await this.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    this.schemas.add(schema.toLowerCase());
  }

  private async buildSeed(seed: PlannedRelation): Promise<void> {
    const csv = findSeedFile(seed.node, this.project, this.projectAbs);
    if (!csv) throw new Error(`seed file ${seed.node.name}.csv not found under ${this.project.info.seedPaths.join(', ')}`);
    await this.ensureSchema(seed.schema);
    await this.exec(`CREATE OR REPLACE TABLE ${seed.sql} AS SELECT * FROM read_csv_auto(${sqlString(csv)}${csvOptions(seed.node)})`);
    await this.comment(seed.sql, 'table', seed.node);
  }

  /** A source in another schema or under another name than its seed becomes a view over the seed. */
  private async backSource(s: PlannedSource): Promise<void> {
    if (s.missing) { this.fail(s.node, s.missing); return; }
    const seed = s.seed!;
    const seedFailed = this.failed.get(seed.node.uniqueId);
    if (seedFailed !== undefined) {
      s.missing = `source table ${s.identifier} is backed by seed ${seed.node.name}, which failed`;
      this.fail(s.node, s.missing);
      return;
    }
    if (s.sql.toLowerCase() === seed.sql.toLowerCase()) {
      // The seed table is the source: its YAML fills what the seed's own YAML leaves undocumented.
      await this.comment(s.sql, 'table', s.node, seed.node).catch(() => undefined);
      return;
    }
    try {
      await this.ensureSchema(s.schema);
      await this.exec(`CREATE OR REPLACE VIEW ${s.sql} AS SELECT * FROM ${seed.sql}`);
      await this.comment(s.sql, 'view', s.node);
    } catch (e) {
      s.missing = (e as Error).message;
      this.fail(s.node, s.missing);
    }
  }

  private async buildModel(m: PlannedRelation): Promise<void> {
    if (m.node.language === 'python') throw new Error('Python models are not built locally; build it with dbt');
    this.checkDependencies(m.node);
    const sql = renderModelSql(m.node, m, this.env);
    if (!sql) throw new Error('its SQL is empty');
    await this.ensureSchema(m.schema);
    await this.exec(`CREATE OR REPLACE ${m.kind === 'view' ? 'VIEW' : 'TABLE'} ${m.sql} AS\n${sql}\n`);
    await this.comment(m.sql, m.kind, m.node);
  }

  /** Fails early, naming the dependency, when a ref or source is missing or failed. */
  private checkDependencies(node: DbtNode): void {
    for (const r of node.refs) {
      const dep = this.plan.byName.get(r.name.toLowerCase());
      if (!dep) throw new Error(`ref('${r.name}') matches no model, seed or snapshot of the project`);
      if (this.failed.has(dep.node.uniqueId)) throw new Error(`depends on ${dep.node.name}, which failed`);
    }
    for (const s of node.sources) {
      const src = this.plan.sourceByName.get(`${s.source}.${s.table}`.toLowerCase());
      if (!src) throw new Error(`source('${s.source}', '${s.table}') is not declared in the project's sources YAML`);
      if (src.missing) throw new Error(src.missing);
    }
  }

  /**
   * COMMENT ON from the YAML descriptions; a documented column the relation lacks is skipped, and so is
   * anything `already` (a node that commented the same relation) documents.
   */
  private async comment(relation: string, kind: 'table' | 'view', node: DbtNode, already?: DbtNode): Promise<void> {
    const docs = this.project.docBlocks;
    const description = renderDescription(node.description, docs);
    if (description && !already?.description) await this.exec(`COMMENT ON ${kind === 'view' ? 'VIEW' : 'TABLE'} ${relation} IS ${sqlString(description)}`);
    for (const col of node.columns) {
      const text = renderDescription(col.description, docs);
      if (!text || already?.columns.some(c => c.name.toLowerCase() === col.name.toLowerCase() && c.description)) continue;
      await this.c.run(`COMMENT ON COLUMN ${relation}.${quoteIdent(col.name)} IS ${sqlString(text)}`).catch(() => undefined);
    }
  }
}

function csvOptions(node: DbtNode): string {
  const opts: string[] = [];
  const types = node.config.other.column_types ?? node.config.other['+column_types'];
  if (types && typeof types === 'object' && !Array.isArray(types)) {
    const entries = Object.entries(types as Record<string, unknown>).map(([k, v]) => `${sqlString(k)}: ${sqlString(String(v))}`);
    if (entries.length) opts.push(`types = {${entries.join(', ')}}`);
  }
  const delimiter = node.config.other.delimiter ?? node.config.other['+delimiter'];
  if (typeof delimiter === 'string' && delimiter) opts.push(`delim = ${sqlString(delimiter)}`);
  return opts.length ? `, ${opts.join(', ')}` : '';
}

/** The seed's CSV: its recorded location (workspace-relative), else `<name>.csv` anywhere under the seed paths. */
function findSeedFile(node: DbtNode, project: ParsedProject, projectAbs: string): string | undefined {
  const candidates: string[] = [];
  const loc = node.location?.path;
  if (loc) {
    const root = project.info.root;
    const rel = root && loc.startsWith(`${root}/`) ? loc.slice(root.length + 1) : loc;
    candidates.push(path.join(projectAbs, rel));
  }
  const found = candidates.find(isFile);
  if (found) return found;
  for (const dir of project.info.seedPaths) {
    const hit = walk(path.join(projectAbs, dir)).find(f => path.basename(f).toLowerCase() === `${node.name.toLowerCase()}.csv`);
    if (hit) return hit;
  }
  return undefined;
}

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

function walk(dir: string): string[] {
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return []; }
  return entries.flatMap(e => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}

/** The project's macros: from macro nodes' code, then any macro files the nodes did not cover. */
function collectMacros(project: ParsedProject, projectAbs: string): Map<string, MacroDef> {
  const macros = new Map<string, MacroDef>();
  const add = (src: string) => { for (const m of extractMacros(src)) if (!macros.has(m.name)) macros.set(m.name, m); };
  for (const n of project.nodes) if (n.resourceType === 'macro' && n.project === project.info.name && n.rawCode) add(n.rawCode);
  for (const dir of project.info.macroPaths) {
    for (const f of walk(path.join(projectAbs, dir)).filter(x => x.endsWith('.sql'))) {
      try { add(fs.readFileSync(f, 'utf8')); } catch { /* unreadable macro file: calls to its macros will be reported */ }
    }
  }
  return macros;
}
