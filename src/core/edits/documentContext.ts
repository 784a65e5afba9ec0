// What documenting and test generation share while they plan: the snapshot, file reading (unsaved editor text
// when the extension provides it), each project's conventions, one YAML editor per file (several nodes may land
// in one file), catalog lookups, and where a node's YAML entry is or goes.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Citation, DbtNode, DbtProjectInfo, Problem, RefCall, SourceCall, WarehouseTable } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { RefResolver } from '../dbt/graph-refs';
import { sourceNameOf } from '../dbt/graph-node';
import { learnConventionsFrom, placeEntry, projectYamlFiles, type ProjectConventions } from './conventions';
import type { FileChange, ReadFile } from './types';
import { YamlFileEditor, type EntryKind, type EntryTarget, type YamlEditOptions } from './yamlEdit';
import { decideStyle, styleVotes } from './yamlEditStyle';

/** Anything that hands out the current workspace snapshot (the Engine does). */
export interface SnapshotSource {
  snapshot(): Promise<WorkspaceSnapshot>;
}

const ENTRY_KIND: Partial<Record<DbtNode['resourceType'], EntryKind>> = { model: 'models', seed: 'seeds', snapshot: 'snapshots', source: 'sources' };

export function diskReader(root: string): ReadFile {
  return async rel => {
    try { return await fs.readFile(path.join(root, rel), 'utf8'); } catch { return undefined; }
  };
}

export class PlanContext {
  readonly problems: Problem[] = [];
  readonly citations: Citation[] = [];
  readonly resolver: RefResolver;
  private readonly editors = new Map<string, Promise<YamlFileEditor>>();
  private readonly convs = new Map<string, Promise<ProjectConventions>>();

  constructor(readonly snap: WorkspaceSnapshot, readonly read: ReadFile) {
    this.resolver = new RefResolver(snap.graph.nodes(), id => snap.graph.get(id));
  }

  static async open(source: SnapshotSource, readFile?: ReadFile): Promise<PlanContext> {
    const snap = await source.snapshot();
    return new PlanContext(snap, readFile ?? diskReader(snap.root));
  }

  /** A node by unique_id, name or path; undefined (and a problem) when nothing matches. */
  resolveNode(nameOrId: string): DbtNode | undefined {
    const g = this.snap.graph;
    const node = g.get(nameOrId) ?? g.resolve(nameOrId, { types: ['model', 'seed', 'snapshot', 'source'] }) ?? g.resolve(nameOrId);
    if (!node) this.problem('', `No model, source, seed or snapshot is named ${nameOrId}. Check the name (or pass its unique_id).`);
    return node;
  }

  info(node: DbtNode): DbtProjectInfo | undefined {
    return this.snap.graph.projectInfo(node.project);
  }

  problem(pathOf: string, message: string, severity: Problem['severity'] = 'error', line?: number): void {
    this.problems.push({ path: pathOf, message, severity, ...(line ? { line } : {}) });
  }

  cite(c: Citation): void {
    if (!this.citations.some(x => x.path === c.path && x.startLine === c.startLine && x.kind === c.kind && x.nodeId === c.nodeId)) this.citations.push(c);
  }

  conventions(info: DbtProjectInfo): Promise<ProjectConventions> {
    let p = this.convs.get(info.name);
    if (!p) {
      p = projectYamlFiles(this.snap.root, info, this.read).then(files => learnConventionsFrom(info, files, this.snap.graph.nodes()));
      this.convs.set(info.name, p);
    }
    return p;
  }

  /** The editor of a YAML file (one per path for the whole plan); a missing file becomes a file to create. */
  editor(rel: string, conv: ProjectConventions): Promise<YamlFileEditor> {
    let p = this.editors.get(rel);
    if (!p) {
      p = this.read(rel).then(text => text === undefined
        ? new YamlFileEditor(rel, '', conv.style, false)
        : new YamlFileEditor(rel, text, decideStyle(styleVotes(text), conv.style), true));
      this.editors.set(rel, p);
    }
    return p;
  }

  /** The file changes of every editor that changed, in path order; editors' problems join the plan's. */
  async changes(): Promise<FileChange[]> {
    const eds = await Promise.all(this.editors.values());
    for (const e of eds) for (const p of e.problems) if (!this.problems.includes(p)) this.problems.push(p);
    return eds.sort((a, b) => (a.path < b.path ? -1 : 1)).map(e => e.change()).filter((c): c is FileChange => !!c);
  }

  /** The catalog relation a node builds or reads. */
  catalogTable(node: DbtNode): WarehouseTable | undefined {
    const tables = this.snap.catalog?.tables ?? [];
    const linked = tables.find(t => t.nodeId === node.uniqueId);
    if (linked || !node.relation) return linked;
    const r = node.relation;
    const eq = (a: string | undefined, b: string | undefined) => !a || !b || a.toLowerCase() === b.toLowerCase();
    return tables.find(t => t.name.toLowerCase() === r.identifier.toLowerCase() && eq(t.schema, r.schema) && eq(t.database, r.database));
  }

  /** Columns (names) of the node a ref()/source() call from `from` resolves to: catalog, else YAML. */
  upstreamColumns(from: DbtNode, call: { ref?: RefCall; source?: SourceCall }): string[] | undefined {
    const r = call.ref ? this.resolver.ref(from, call.ref) : call.source ? this.resolver.source(from, call.source) : undefined;
    const node = r && 'id' in r ? this.snap.graph.get(r.id) : undefined;
    if (!node) return undefined;
    const table = this.catalogTable(node);
    if (table?.columns.length) return table.columns.map(c => c.name);
    return node.columns.length ? node.columns.map(c => c.name) : undefined;
  }

  entryTarget(node: DbtNode): EntryTarget | undefined {
    const kind = ENTRY_KIND[node.resourceType];
    if (!kind) return undefined;
    return kind === 'sources' ? { kind, name: node.name, source: sourceNameOf(node) } : { kind, name: node.name };
  }

  /** The YAML file holding the node's entry, or where its new entry goes by the project's conventions. */
  async entryFile(node: DbtNode, conv: ProjectConventions): Promise<{ path: string; reason: string; exists: boolean } | undefined> {
    const target = this.entryTarget(node);
    if (!target) return undefined;
    const candidates = [node.yamlLocation?.path, node.location?.path].filter((p): p is string => !!p && /\.ya?ml$/i.test(p));
    const key = target.kind === 'sources' ? `${target.source}.${target.name}` : target.name;
    for (const [file, h] of conv.holdings) if (h[target.kind]?.includes(key)) candidates.push(file);
    for (const c of [...new Set(candidates)]) {
      const ed = await this.editor(c, conv);
      if (ed.hasEntry(target)) return { path: c, reason: 'the file already holding its entry', exists: true };
      // An unreadable file may hold the entry: placing a second one elsewhere would duplicate it.
      if (!ed.isValid() && c === candidates[0]) return undefined;
    }
    if (target.kind === 'sources') return undefined; // a source table is declared in YAML: it cannot be missing
    const info = this.info(node);
    const roots = info ? [...info.modelPaths, ...info.seedPaths, ...info.snapshotPaths] : [];
    const placed = placeEntry(conv, node, roots);
    return { ...placed, exists: false };
  }

  /** Editing options for a file: its own test key usage wins over the project's. */
  editOptions(conv: ProjectConventions, fileText: string, extra: Partial<YamlEditOptions> = {}): YamlEditOptions {
    const dataTests = (fileText.match(/^[ \t-]*data_tests:/gm) ?? []).length;
    const tests = (fileText.match(/^[ \t-]*tests:/gm) ?? []).length;
    const testsKey = dataTests || tests ? (dataTests >= tests ? 'data_tests' : 'tests') : conv.testsKey;
    return { testsKey, testArgs: conv.testArgs, ...extra };
  }
}
