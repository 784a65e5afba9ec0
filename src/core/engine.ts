// The one entry point the CLI and the extension use: load the workspace, keep the index fresh, search, answer.
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Answer, Citation, DbtNode, IndexDocument, Problem, ProgressFn, SearchHit } from './types';
import type { EmbedderStatus } from './index/types';
import type { ChatModel } from './llm/types';
import { WorkspaceLoader, type LoadOptions } from './workspace/load';
import type { WorkspaceSnapshot } from './workspace/snapshot';
import { buildDocuments } from './documents/build';
import { Indexer } from './index/indexer';
import { selectEmbedder } from './index/embeddings/select';
import { EntityMatcher } from './retrieval/entities';
import { Retriever, type SearchableIndex } from './retrieval/search';
import { OfflineAnswerer } from './answer/offline';
import { LlmAnswerer } from './answer/llm';
import type { AskContext, AskOptions } from './answer/types';

export interface EngineOptions extends LoadOptions {
  workspace: string;
  /** Where the index lives; default: a per-workspace folder in the user's cache (never inside the workspace). */
  indexDir?: string;
  embedding?: { kind?: 'auto' | 'neural' | 'hashed'; modelPath?: string; allowDownload?: boolean; cacheDir?: string };
  /** The language model for answers; none = offline answers. */
  model?: ChatModel;
}

export interface RefreshStats {
  projects: number;
  documents: number;
  embedded: number;
  removed: number;
  unchanged: number;
  rebuilt?: string;
  problems: number;
  ms: number;
}

export interface EngineStatus {
  workspace: string;
  indexDir: string;
  projects: { name: string; root: string; origin: string; nodes: number }[];
  documents: number;
  embedder: EmbedderStatus;
  history: { commits: number; partial: boolean; reason?: string };
  warehouse?: { kind: string; origin: string; tables: number; error?: string };
  model?: string;
  problems: Problem[];
  lastRefresh?: RefreshStats;
}

export class Engine {
  private snap?: WorkspaceSnapshot;
  private matcher?: EntityMatcher;
  private byNode = new Map<string, IndexDocument[]>();
  private last?: RefreshStats;
  private vocab?: Set<string>;
  private refreshing?: Promise<RefreshStats>;

  private constructor(readonly opts: EngineOptions, readonly indexDir: string, private readonly loader: WorkspaceLoader,
    private readonly indexer: Indexer, private model?: ChatModel) {}

  static async open(opts: EngineOptions, onProgress?: ProgressFn): Promise<Engine> {
    const workspace = path.resolve(opts.workspace);
    const indexDir = opts.indexDir ? path.resolve(opts.indexDir) : defaultIndexDir(workspace);
    const embedder = await selectEmbedder({
      kind: opts.embedding?.kind ?? 'auto', modelPath: opts.embedding?.modelPath ?? process.env.DEA_EMBEDDING_MODEL,
      allowDownload: opts.embedding?.allowDownload ?? false, cacheDir: opts.embedding?.cacheDir ?? path.join(cacheRoot(), 'models'),
      onProgress, log: opts.log,
    });
    const indexer = await Indexer.open(indexDir, embedder, workspace, opts.log);
    return new Engine({ ...opts, workspace }, indexDir, new WorkspaceLoader(workspace, opts), indexer, opts.model);
  }

  /** Re-reads the workspace and brings the index up to date; concurrent calls share one run. */
  refresh(onProgress?: ProgressFn, signal?: AbortSignal): Promise<RefreshStats> {
    this.refreshing ??= this.doRefresh(onProgress, signal).finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async doRefresh(onProgress?: ProgressFn, signal?: AbortSignal): Promise<RefreshStats> {
    const t0 = performance.now();
    onProgress?.({ phase: 'reading workspace', done: 0, total: 1 });
    const snap = await this.loader.load();
    const docs = buildDocuments(snap);
    const r = await this.indexer.refresh(docs, onProgress, signal);
    this.snap = snap;
    this.matcher = undefined; // built on the first question: keeps one-file refreshes short
    this.byNode = groupByNode(this.indexer.documents());
    this.vocab = undefined;
    this.last = {
      projects: snap.projects.length, documents: docs.length, embedded: r.embedded, removed: r.removed, unchanged: r.unchanged,
      rebuilt: r.rebuilt, problems: snap.problems.length, ms: Math.round(performance.now() - t0),
    };
    return this.last;
  }

  /** Reads warehouse metadata again (Snowflake's is otherwise read once per session) and refreshes. */
  refreshWarehouse(onProgress?: ProgressFn): Promise<RefreshStats> {
    this.loader.invalidateWarehouse();
    return this.refresh(onProgress);
  }

  /** The current snapshot, refreshing first when there is none yet. */
  async snapshot(): Promise<WorkspaceSnapshot> {
    if (!this.snap) await this.refresh();
    return this.snap!;
  }

  setModel(model: ChatModel | undefined): void {
    this.model = model;
  }

  async search(query: string, k = 10): Promise<SearchHit[]> {
    return (await this.context()).retriever.search(query, k);
  }

  async ask(question: string, opts: AskOptions & { offline?: boolean } = {}): Promise<Answer> {
    const ctx = await this.context();
    const answerer = this.model && !opts.offline ? new LlmAnswerer(this.model, c => this.docOf(c)) : new OfflineAnswerer();
    return answerer.answer(question, ctx, opts);
  }

  /** Resolves a model/source/... by name, unique_id or file path. */
  async resolve(nameOrPath: string): Promise<DbtNode | undefined> {
    const snap = await this.snapshot();
    const rel = path.isAbsolute(nameOrPath) ? toPosix(path.relative(this.opts.workspace, nameOrPath)) : nameOrPath;
    return snap.graph.resolve(rel);
  }

  async context(): Promise<AskContext> {
    const snap = await this.snapshot();
    return {
      snap, matcher: this.matcherFor(snap), retriever: new Retriever(this.searchable(), this.matcherFor(snap), snap.graph),
      knows: word => this.vocabulary().has(word.toLowerCase()),
    };
  }

  private matcherFor(snap: WorkspaceSnapshot): EntityMatcher {
    return (this.matcher ??= new EntityMatcher(snap.graph));
  }

  /** Every word and identifier of the indexed text, built on first use after a refresh. */
  private vocabulary(): Set<string> {
    if (this.vocab) return this.vocab;
    const v = new Set<string>();
    for (const d of this.indexer.documents()) {
      for (const tok of `${d.title} ${d.text}`.toLowerCase().match(/[a-z0-9_]+/g) ?? []) {
        v.add(tok);
        if (tok.includes('_')) for (const part of tok.split('_')) v.add(part);
      }
    }
    return (this.vocab = v);
  }

  status(): EngineStatus {
    const s = this.snap;
    return {
      workspace: this.opts.workspace, indexDir: this.indexDir,
      projects: (s?.projects ?? []).map(p => ({ name: p.info.name, root: p.info.root, origin: p.origin, nodes: p.nodes.length })),
      documents: this.indexer.documents().length,
      embedder: this.indexer.embedderStatus(),
      history: { commits: s?.historyData.commits.length ?? 0, partial: s?.historyData.partial ?? true, reason: s?.historyData.reason },
      warehouse: s?.catalog ? { kind: s.catalog.kind, origin: s.catalog.origin, tables: s.catalog.tables.length, error: s.catalog.error } : undefined,
      model: this.model?.id,
      problems: s?.problems ?? [],
      lastRefresh: this.last,
    };
  }

  /** The index document a citation came from, if any. */
  docOf(c: Citation): IndexDocument | undefined {
    const docs = c.nodeId ? this.byNode.get(c.nodeId) ?? [] : [];
    return docs.find(d => d.citation.path === c.path && d.citation.startLine === c.startLine) ?? docs[0];
  }

  async close(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
    await this.indexer.close();
  }

  private searchable(): SearchableIndex {
    return {
      get: id => this.indexer.get(id),
      keywordSearch: (q, k) => this.indexer.keywordSearch(q, k),
      vectorSearch: (q, k) => this.indexer.vectorSearch(q, k),
      documentsOfNode: id => this.byNode.get(id) ?? [],
    };
  }
}

function groupByNode(docs: IndexDocument[]): Map<string, IndexDocument[]> {
  const m = new Map<string, IndexDocument[]>();
  for (const d of docs) {
    if (!d.nodeId) continue;
    const list = m.get(d.nodeId);
    if (list) list.push(d); else m.set(d.nodeId, [d]);
  }
  // The defining file first, then its YAML entry, column groups, warehouse table.
  const order = (d: IndexDocument) => (d.kind === 'warehouse_table' ? 3 : d.kind === 'columns' ? 2 : d.id.endsWith('#yaml') ? 1 : 0);
  for (const list of m.values()) list.sort((a, b) => order(a) - order(b));
  return m;
}

export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'data-engineering-agent');
}

/** One folder per workspace in the user's cache: `<name>-<hash of the absolute path>`. */
export function defaultIndexDir(workspace: string): string {
  const hash = createHash('sha1').update(path.resolve(workspace)).digest('hex').slice(0, 12);
  return path.join(cacheRoot(), 'index', `${path.basename(workspace).replace(/[^\w.-]/g, '_')}-${hash}`);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
