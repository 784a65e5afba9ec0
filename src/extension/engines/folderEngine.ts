// One engine per workspace folder: opens it, indexes in the background, refreshes (debounced) when files change,
// and keeps the last snapshot at hand so code lenses never wait.
import * as vscode from 'vscode';
import { Engine, type EngineStatus, type RefreshStats } from '../../core/engine';
import type { Progress } from '../../core/types';
import type { ChatModel } from '../../core/llm/types';
import type { WorkspaceSnapshot } from '../../core/workspace/snapshot';
import type { Log } from '../log';
import { readSettings } from '../settings';
import { engineOptions } from './engineOptions';

export type EngineState = 'starting' | 'indexing' | 'ready' | 'error' | 'no-project';

/** The warehouse secrets the user stored (SecretStorage), read when an engine opens. */
export type WarehouseSecretsGetter = () => Promise<{ password?: string; privateKeyPassphrase?: string }>;

export class FolderEngine implements vscode.Disposable {
  state: EngineState = 'starting';
  progress?: Progress;
  error?: string;
  lastRefresh?: RefreshStats;
  /** Errors of recent refreshes, newest last, for the diagnostics. */
  readonly errors: { at: string; message: string }[] = [];
  private engine?: Engine;
  private snap?: WorkspaceSnapshot;
  private opening?: Promise<Engine | undefined>;
  private timer?: NodeJS.Timeout;
  private pending = new Set<string>();
  private running?: Promise<void>;
  private warehouseStale = false;
  private disposed = false;

  constructor(readonly folder: vscode.WorkspaceFolder, private readonly log: Log, private model: ChatModel | undefined,
    private readonly changed: () => void, private readonly secrets: WarehouseSecretsGetter = async () => ({})) {}

  /** The last snapshot, without waiting (undefined until the first index finished). */
  get snapshot(): WorkspaceSnapshot | undefined {
    return this.snap;
  }

  status(): EngineStatus | undefined {
    return this.engine?.status();
  }

  /** Opens the engine and indexes the folder; `notify` shows a progress notification. */
  async start(notify: boolean): Promise<void> {
    const engine = await this.open();
    if (engine) await this.runRefresh('initial index', notify);
  }

  /** The engine once open (waits for opening, not for indexing). */
  async get(): Promise<Engine | undefined> {
    return this.engine ?? this.opening ?? this.open();
  }

  setModel(model: ChatModel | undefined): void {
    this.model = model;
    this.engine?.setModel(model);
  }

  /** Refresh after file changes, coalesced over the debounce window. */
  scheduleRefresh(reason: string): void {
    if (this.disposed || this.state === 'no-project') return;
    this.pending.add(reason);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const why = [...this.pending].join(', ');
      this.pending.clear();
      void this.runRefresh(why, false);
    }, readSettings(this.folder).refreshDebounceMs);
  }

  /** Reads warehouse metadata again (Snowflake's is otherwise read once per session), then refreshes. */
  refreshWarehouse(): Promise<void> {
    this.warehouseStale = true;
    return this.refreshNow('warehouse metadata', true);
  }

  /** Refreshes now (Reindex command); resolves when done. */
  refreshNow(reason: string, notify: boolean): Promise<void> {
    clearTimeout(this.timer);
    this.pending.clear();
    return this.runRefresh(reason, notify);
  }

  /** Resolves when no refresh is running or scheduled. */
  async whenIdle(): Promise<void> {
    for (;;) {
      await this.opening;
      await this.running;
      if (!this.running && !this.pending.size && !this.opening) return;
      if (this.pending.size) await new Promise(r => setTimeout(r, 50));
    }
  }

  private open(): Promise<Engine | undefined> {
    this.opening ??= (async () => {
      this.setState('starting');
      try {
        const opts = engineOptions(this.folder, readSettings(this.folder), m => this.log.info(`[${this.folder.name}] ${m}`));
        const stored = await this.secrets();
        opts.warehouse = { ...opts.warehouse, secrets: { password: stored.password, passphrase: stored.privateKeyPassphrase } };
        const engine = await Engine.open({ ...opts, model: this.model }, p => this.onProgress(p));
        if (this.disposed) { await closeQuietly(engine); return undefined; }
        this.engine = engine;
        this.log.info(`[${this.folder.name}] engine open; index in ${engine.indexDir}`);
        return engine;
      } catch (e) {
        this.fail('could not open the index', e);
        return undefined;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  /** One refresh at a time; a request during a run queues one more run. */
  private runRefresh(reason: string, notify: boolean): Promise<void> {
    const run = async () => {
      const engine = this.engine ?? await this.open();
      if (!engine || this.disposed) return;
      this.setState('indexing');
      this.log.info(`[${this.folder.name}] refresh (${reason})`);
      const work = async (report?: (p: Progress) => void) => {
        try {
          const onProgress = (p: Progress) => { this.onProgress(p); report?.(p); };
          const rereadWarehouse = this.warehouseStale;
          this.warehouseStale = false;
          const stats = rereadWarehouse ? await engine.refreshWarehouse(onProgress) : await engine.refresh(onProgress);
          this.snap = await engine.snapshot();
          this.lastRefresh = stats;
          this.error = undefined;
          const s = engine.status();
          this.log.info(`[${this.folder.name}] indexed ${stats.projects} project(s), ${stats.documents} documents (${stats.embedded} embedded, ${stats.removed} removed) in ${stats.ms} ms; ${stats.problems} problem(s); embeddings ${s.embedder.kind}${s.embedder.reason ? ` (${s.embedder.reason})` : ''}`);
          this.progress = undefined;
          this.setState(s.projects.length ? 'ready' : 'no-project');
        } catch (e) {
          this.fail('indexing failed', e);
        }
      };
      if (!notify) return work();
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `DEA: indexing ${this.folder.name}` }, async progress => {
        let last = 0;
        await work(p => {
          const pct = p.total ? Math.floor((p.done / p.total) * 100) : 0;
          progress.report({ message: `${p.phase}${p.total > 1 ? ` ${p.done}/${p.total}` : ''}`, increment: Math.max(0, pct - last) });
          last = Math.max(last, pct);
        });
      });
    };
    const prev = this.running ?? Promise.resolve();
    const next: Promise<void> = prev.then(run).finally(() => { if (this.running === next) this.running = undefined; });
    this.running = next;
    return next;
  }

  private onProgress(p: Progress): void {
    this.progress = p;
    this.changed();
  }

  private fail(what: string, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.error = `${what}: ${message}`;
    this.errors.push({ at: new Date().toISOString(), message: this.error });
    if (this.errors.length > 20) this.errors.shift();
    this.log.error(`[${this.folder.name}] ${what}`, e);
    this.progress = undefined;
    this.setState('error');
  }

  /** A folder without dbt_project.yml: nothing to index until one appears. */
  markNoProject(): void {
    this.setState('no-project');
  }

  private setState(s: EngineState): void {
    this.state = s;
    this.changed();
  }

  async close(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.timer);
    this.pending.clear();
    await this.running?.catch(() => undefined);
    if (this.engine) await closeQuietly(this.engine);
    this.engine = undefined;
  }

  dispose(): void {
    void this.close();
  }
}

async function closeQuietly(engine: Engine): Promise<void> {
  try { await engine.close(); } catch { /* closing must not fail the caller */ }
}
