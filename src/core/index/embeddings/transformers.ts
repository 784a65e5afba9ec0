// TransformersEmbedder: a transformers.js sentence-embedding model run in a worker thread (worker.ts), so the
// extension host and the CLI stay responsive while ONNX runs. Loading happens in `load()`; failures reject with
// EmbedderLoadError (message + network code) so selectEmbedder can fall back and say why.
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProgressFn } from '../../types';
import type { Embedder, EmbedderStatus } from '../types';
import type { FromWorker, ModelDtype, WorkerInit } from './protocol';

export interface TransformersEmbedderOptions {
  /** Stable id stored in the index meta: a change of model means a rebuild. */
  id: string;
  /** Hub id (`Xenova/all-MiniLM-L6-v2`), or a folder's basename when `localModelPath` is set, or an absolute folder. */
  model: string;
  /** Parent folder of a local model (no network is used then). */
  localModelPath?: string;
  /** What status() shows as the model: hub id or folder path. */
  label: string;
  cacheDir: string;
  allowDownload: boolean;
  remoteHost?: string;
  dtype: ModelDtype;
  /** Network guard (no headers / no body bytes for this long aborts). Default 10 s. */
  timeoutMs?: number;
  /** Whole-load guard, restarted by every download progress event. Default 120 s. */
  loadTimeoutMs?: number;
  /** Tokens kept per text. Default 256 (all-MiniLM-L6-v2 was trained on 256-token inputs). */
  maxTokens?: number;
  /** Texts per forward pass. Default 16 (measured: larger batches cost memory, not speed). */
  batchSize?: number;
  /** ONNX Runtime threads. Default: the cores minus one for the main thread, 1 to 4. */
  threads?: number;
  onProgress?: ProgressFn;
  log?: (m: string) => void;
}

/** The model could not be loaded; `code` is the network error code when the cause was the network. */
export class EmbedderLoadError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'EmbedderLoadError';
  }
}

interface Pending {
  resolve: (v: Float32Array[]) => void;
  reject: (e: Error) => void;
}

/** The worker script: dist/embed-worker.js beside the bundle, or the .ts source when running under tsx (tests). */
export function startWorker(): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(path.join(__dirname, 'embed-worker.js'));
  // Node 20 workers ignore `execArgv: ['--import', 'tsx']` for the entry file itself, so a tiny
  // bootstrap registers tsx's require hook and then loads the TypeScript worker.
  const tsxHook = 'tsx/cjs'; // not a literal in require.resolve: bundlers must not try to include tsx
  const boot = `require(${JSON.stringify(require.resolve(tsxHook))}); require(${JSON.stringify(path.join(__dirname, 'worker.ts'))});`;
  return new Worker(boot, { eval: true });
}

function defaultThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

export class TransformersEmbedder implements Embedder {
  readonly id: string;
  private _dims = 0;
  private worker?: Worker;
  private starting?: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;

  private constructor(private readonly opts: TransformersEmbedderOptions) {
    this.id = opts.id;
  }

  /** Starts the worker and loads the model; rejects with EmbedderLoadError. */
  static async load(opts: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const e = new TransformersEmbedder(opts);
    await e.start();
    return e;
  }

  get dims(): number {
    return this._dims;
  }

  status(): EmbedderStatus {
    return { kind: 'neural', model: this.opts.label, dims: this._dims };
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (this.disposed) throw new Error('embedder used after dispose');
    if (!texts.length) return [];
    if (!this.worker) await this.start(); // the worker died earlier: start a fresh one
    const worker = this.worker;
    if (!worker) throw new Error('embedding worker is not running');
    const id = this.nextId++;
    const result = new Promise<Float32Array[]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) worker.ref();
    worker.postMessage({ type: 'embed', id, texts });
    return result;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new Error('embedder disposed'));
    if (w) await w.terminate();
  }

  private start(): Promise<void> {
    this.starting ??= this.spawn().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  private spawn(): Promise<void> {
    const o = this.opts;
    const worker = startWorker();
    const init: WorkerInit = {
      type: 'init', model: o.model, localModelPath: o.localModelPath, cacheDir: o.cacheDir, allowRemote: o.allowDownload,
      remoteHost: o.remoteHost, dtype: o.dtype, timeoutMs: o.timeoutMs ?? 10_000, maxTokens: o.maxTokens ?? 256,
      batchSize: o.batchSize ?? 16, threads: o.threads ?? defaultThreads(),
    };
    return new Promise<void>((resolve, reject) => {
      let loading = true;
      let timer: NodeJS.Timeout | undefined;
      const fail = (e: EmbedderLoadError) => {
        if (!loading) return;
        loading = false;
        clearTimeout(timer);
        void worker.terminate();
        reject(e);
      };
      const arm = () => {
        clearTimeout(timer);
        const ms = o.loadTimeoutMs ?? 120_000;
        timer = setTimeout(() => fail(new EmbedderLoadError(`model did not load within ${Math.round(ms / 1000)} s`, 'ETIMEDOUT')), ms);
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'progress') {
          arm();
          o.onProgress?.({ phase: 'download-model', done: m.loaded, total: m.total, message: `downloading ${o.label} ${m.file}` });
        } else if (m.type === 'ready' && loading) {
          if (this.disposed) return fail(new EmbedderLoadError('embedder disposed while loading'));
          loading = false;
          clearTimeout(timer);
          this._dims = m.dims;
          this.worker = worker;
          worker.unref();
          o.log?.(`embedding model ${o.label} (${o.dtype}) loaded in a worker: ${m.dims} dims, ${m.maxTokens} tokens max`);
          resolve();
        } else if (m.type === 'error' && m.id === undefined) {
          fail(new EmbedderLoadError(m.message, m.code));
        } else {
          this.settle(m);
        }
      });
      worker.on('error', e => {
        fail(new EmbedderLoadError(`embedding worker failed: ${e.message}`));
        this.onWorkerGone(worker, `embedding worker failed: ${e.message}`);
      });
      worker.on('exit', code => {
        fail(new EmbedderLoadError(`embedding worker exited (code ${code}) while loading the model`));
        this.onWorkerGone(worker, `embedding worker exited (code ${code})`);
      });
      arm();
      worker.postMessage(init);
    });
  }

  private settle(m: FromWorker): void {
    if (m.type !== 'result' && m.type !== 'error') return;
    if (m.id === undefined) return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (m.type === 'error') return p.reject(new Error(`embedding failed: ${m.message}`));
    const rows: Float32Array[] = [];
    for (let i = 0; i < m.count; i++) rows.push(m.data.subarray(i * m.dims, (i + 1) * m.dims));
    p.resolve(rows);
  }

  private onWorkerGone(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(new Error(`${why}; the next request starts a new worker`));
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
