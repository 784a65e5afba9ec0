// Reads a workspace into a snapshot, reusing what has not changed since the last load: parsed files by content
// hash, git history by HEAD, warehouse metadata by the database file's mtime.
import { createHash } from 'node:crypto';
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import type { DbtProjectInfo, GitHistoryData, ParsedProject, Problem, WarehouseCatalog } from '../types';
import { discoverProjects } from '../dbt/discover';
import { findProjectFiles, inspectFile } from '../dbt/files';
import { parseFile, type FileParse } from '../dbt/parse';
import { assembleProject } from '../dbt/assemble';
import { manifestIsFresh, readManifestProject, readCatalog } from '../dbt/manifest';
import { LineageGraph } from '../dbt/graph';
import { HistoryIndex, readHistory, updateHistory } from '../git/history';
import { runGit } from '../git/run';
import { catalogSource, loadWarehouseCatalog, type WarehouseOptions } from './warehouse';
import type { ProjectConnection, WorkspaceSnapshot } from './snapshot';
import { describeConnection, loadConnection, redactConnection } from '../warehouse/profiles';

export interface LoadOptions {
  warehouse?: WarehouseOptions;
  /** Skip git history (tests, or a user setting). */
  noHistory?: boolean;
  log?: (message: string) => void;
}

interface CachedFile {
  mtimeMs: number;
  size: number;
  hash: string;
  parse?: FileParse;
  /** Why the file is skipped (too large, binary, unreadable). */
  problem?: Problem;
}

export class WorkspaceLoader {
  private readonly files = new Map<string, CachedFile>();
  private history?: GitHistoryData;
  private historyIndex?: HistoryIndex;
  private warehouse?: { key: string; catalog?: WarehouseCatalog };
  private warehouseEpoch = 0;

  constructor(readonly root: string, private readonly opts: LoadOptions = {}) {}

  async load(): Promise<WorkspaceSnapshot> {
    const history = this.loadHistory(); // git runs in its own process meanwhile
    const { projects: infos, problems } = await discoverProjects(this.root);
    const projects: ParsedProject[] = [];
    for (const info of infos) projects.push(await this.loadProject(info));
    const graph = LineageGraph.build(projects);
    const historyData = await history;
    const catalog = await this.loadCatalog(projects, graph);
    const connections = projects.map(p => this.connectionOf(p.info));
    const all: Problem[] = [...problems, ...projects.flatMap(p => p.problems), ...connections.flatMap(c => c.problems)];
    if (catalog?.error) all.push({ path: catalog.origin, message: catalog.error, severity: 'warning' });
    if (this.historyIndex?.data !== historyData) this.historyIndex = new HistoryIndex(historyData);
    return { root: this.root, projects, graph, historyData, history: this.historyIndex, catalog,
      connections: connections.map(({ problems: _p, ...c }) => c), problems: all };
  }

  private connectionOf(info: DbtProjectInfo): ProjectConnection & { problems: Problem[] } {
    const w = this.opts.warehouse ?? {};
    const r = loadConnection({ projectDir: path.join(this.root, info.root), profileName: info.profile, target: w.target, profilesPath: w.profilesPath, env: w.env, homeDir: w.homeDir, relativeTo: this.root });
    const rel = r.profilesPath ? path.relative(this.root, r.profilesPath).split(path.sep).join('/') : undefined;
    return {
      project: info.name, profile: r.profileName, target: r.targetName, problems: r.problems,
      profilesPath: rel && !rel.startsWith('..') ? rel : r.profilesPath,
      summary: r.config ? describeConnection(r.config) : undefined,
      fields: r.config ? redactConnection(r.config) : {},
    };
  }

  private async loadProject(info: DbtProjectInfo): Promise<ParsedProject> {
    const files = await findProjectFiles(this.root, info);
    if (manifestIsFresh(this.root, info, files)) {
      try {
        const fromManifest = await readManifestProject(this.root, info);
        if (fromManifest) return fromManifest;
      } catch (e) {
        this.opts.log?.(`manifest of ${info.name} not used: ${(e as Error).message}`);
      }
    }
    const parses: FileParse[] = [];
    const skipped: Problem[] = [];
    for (const rel of files) {
      const f = await this.readCached(info, rel);
      if (f?.parse) parses.push(f.parse);
      if (f?.problem) skipped.push(f.problem);
    }
    const project = assembleProject(info, parses);
    return { ...project, problems: [...skipped, ...project.problems] };
  }

  /** Re-reads a file only when its mtime or size moved, and re-parses it only when its content hash did. */
  private async readCached(info: DbtProjectInfo, rel: string): Promise<CachedFile | undefined> {
    const key = `${info.configPath}|${rel}`;
    let stat;
    try { stat = statSync(path.join(this.root, rel)); } catch { this.files.delete(key); return undefined; }
    const cached = this.files.get(key);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
    const file = await inspectFile(this.root, rel, true);
    const content = file.content ?? '';
    const hash = createHash('sha1').update(content).digest('hex');
    const parse = file.problem ? undefined
      : cached?.parse && cached.hash === hash ? cached.parse : parseFile(info, rel, content, { sizeBytes: file.sizeBytes });
    const entry: CachedFile = { mtimeMs: stat.mtimeMs, size: stat.size, hash, parse, problem: file.problem };
    this.files.set(key, entry);
    return entry;
  }

  private async loadHistory(): Promise<GitHistoryData> {
    if (this.opts.noHistory) return { commits: [], partial: true, reason: 'history disabled' };
    if (this.history && !this.history.partial && this.history.head && (await headOf(this.root)) === this.history.head) return this.history;
    this.history = this.history ? await updateHistory(this.root, this.history) : await readHistory(this.root);
    if (this.history.reason) this.opts.log?.(`git history: ${this.history.reason}`);
    return this.history;
  }

  private async loadCatalog(projects: ParsedProject[], graph: LineageGraph): Promise<WarehouseCatalog | undefined> {
    const found = catalogSource(this.root, projects, this.opts.warehouse ?? {});
    // DuckDB: re-read when the file changes. Snowflake: once, and again on request (metadata queries cost money).
    const liveKey = found ? `${found.key}|${found.source.kind === 'duckdb' ? await mtime(found.source.path) : this.warehouseEpoch}` : 'none';
    const key = `${liveKey}|${await this.artifactsKey(projects)}`;
    if (this.warehouse && this.warehouse.key === key) return this.warehouse.catalog;
    let catalog = found ? await loadWarehouseCatalog(this.root, found, graph.nodes()) : undefined;
    if (!catalog || catalog.error) {
      for (const p of projects) {
        const fromArtifacts = await readCatalog(this.root, p.info).catch(() => undefined);
        if (fromArtifacts && !fromArtifacts.error) {
          const note = catalog?.error ? ` (the live warehouse failed: ${catalog.error})` : '';
          catalog = { ...fromArtifacts, error: undefined, origin: `${fromArtifacts.origin}${note}` };
          break;
        }
      }
    }
    this.warehouse = { key, catalog };
    return catalog;
  }

  /** Reads warehouse metadata again at the next load (Snowflake is otherwise read once). */
  invalidateWarehouse(): void {
    this.warehouseEpoch += 1;
  }

  /** Changes when a project's catalog.json or profiles.yml changes. */
  private async artifactsKey(projects: ParsedProject[]): Promise<string> {
    const parts: string[] = [JSON.stringify({ ...this.opts.warehouse, secrets: undefined })];
    for (const p of projects) {
      for (const f of ['profiles.yml', path.posix.join(p.info.targetPath, 'catalog.json')]) {
        parts.push(await mtime(path.join(this.root, p.info.root, f)));
      }
    }
    return parts.join('|');
  }
}

/** HEAD's sha, in one cheap git call; undefined when it cannot be read. */
async function headOf(root: string): Promise<string | undefined> {
  const r = await runGit(['rev-parse', 'HEAD'], root);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

async function mtime(abs: string): Promise<string> {
  try { return String((await fs.stat(abs)).mtimeMs); } catch { return '-'; }
}
