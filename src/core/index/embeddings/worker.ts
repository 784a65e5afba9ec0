// The embedding worker: runs transformers.js `feature-extraction` (mean pooling + normalize) off the main thread.
// Started by TransformersEmbedder; bundled by esbuild as dist/embed-worker.js. One `init`, then any number of
// `embed` messages answered in order. Texts are sorted by length and run in batches so padding stays small.
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';

/** The slice of a transformers.js feature-extraction pipeline this worker uses. */
interface Extractor {
  (texts: string[], opts: { pooling: 'mean'; normalize: boolean }): Promise<{ data: ArrayLike<number>; dims: number[] }>;
  tokenizer: { model_max_length: number; _tokenizerConfig?: Record<string, unknown> };
  model: { config: { max_position_embeddings?: number } };
  dispose(): Promise<void>;
}

let extractor: Extractor | undefined;
let settings: WorkerInit | undefined;
let dims = 0;
let queue: Promise<void> = Promise.resolve();

function post(msg: FromWorker, transfer?: ArrayBuffer[]): void {
  parentPort?.postMessage(msg, transfer);
}

/** Network code of a failed fetch (Node puts it on `cause`), or the timeout this worker raised. */
function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    const c = cur as { code?: unknown; cause?: unknown; name?: unknown };
    if (typeof c.code === 'string') return c.code;
    if (c.name === 'TimeoutError') return 'ETIMEDOUT';
    cur = c.cause;
  }
  return undefined;
}

function describe(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 4; depth++) {
    const msg = cur instanceof Error ? cur.message : String(cur);
    if (!parts.includes(msg)) parts.push(msg);
    cur = (cur as { cause?: unknown }).cause;
  }
  return parts.join(': ');
}

function timeoutError(url: string, ms: number, what: string): Error {
  const e = new Error(`${what} from ${hostOf(url)} within ${Math.round(ms / 1000)} s`) as Error & { code: string };
  e.code = 'ETIMEDOUT';
  return e;
}

function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}

/** fetch with a deadline for the response headers and a stall guard on the body: a download never hangs. */
function guardedFetch(ms: number): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const ctrl = new AbortController();
    let timer = setTimeout(() => ctrl.abort(timeoutError(url, ms, 'no response')), ms);
    let res: Response;
    try {
      res = await fetch(input, { ...init, signal: ctrl.signal });
    } finally {
      clearTimeout(timer);
    }
    if (!res.body) return res;
    const reader = res.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        timer = setTimeout(() => ctrl.abort(timeoutError(url, ms, 'download stalled: no data')), ms);
        try {
          const { done, value } = await reader.read();
          if (done) c.close(); else c.enqueue(value);
        } finally {
          clearTimeout(timer);
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

async function init(msg: WorkerInit): Promise<void> {
  const tf = await import('@huggingface/transformers');
  const env = tf.env;
  env.cacheDir = msg.cacheDir;
  env.allowRemoteModels = msg.allowRemote;
  env.allowLocalModels = !!msg.localModelPath; // downloads must not probe the library's own models/ folder
  if (msg.localModelPath) env.localModelPath = msg.localModelPath;
  if (msg.remoteHost) env.remoteHost = msg.remoteHost.endsWith('/') ? msg.remoteHost : msg.remoteHost + '/';
  env.fetch = guardedFetch(msg.timeoutMs);
  const progress_callback = (info: { status: string; file?: string; loaded?: number; total?: number }) => {
    if (info.status === 'progress' && info.file) post({ type: 'progress', file: info.file, loaded: info.loaded ?? 0, total: info.total ?? 0 });
  };
  // ONNX Runtime's threads spin-wait after each run by default; measured on 2 cores, that stole the main
  // thread's CPU and tripled a one-document refresh (p50 ~60 -> ~200 ms). No spinning; threads leave a core free.
  const session_options = { intraOpNumThreads: msg.threads, interOpNumThreads: 1, extra: { session: { intra_op: { allow_spinning: '0' } } } };
  const pipe = await tf.pipeline('feature-extraction', msg.model, { dtype: msg.dtype, progress_callback, session_options });
  extractor = pipe as unknown as Extractor;
  capMaxLength(extractor, msg.maxTokens);
  settings = msg;
  const probe = await extractor(['dimension probe'], { pooling: 'mean', normalize: true });
  dims = probe.dims[probe.dims.length - 1];
  post({ type: 'ready', dims, maxTokens: extractor.tokenizer.model_max_length });
}

/** Truncation happens in the tokenizer at model_max_length; make that finite and within the position table. */
function capMaxLength(ex: Extractor, maxTokens: number): void {
  const own = ex.tokenizer.model_max_length;
  const positions = ex.model.config.max_position_embeddings ?? 512;
  const cap = Math.min(Number.isFinite(own) ? own : Infinity, positions, maxTokens);
  if (cap !== own && ex.tokenizer._tokenizerConfig) ex.tokenizer._tokenizerConfig.model_max_length = cap;
}

async function embed(id: number, texts: string[]): Promise<void> {
  if (!extractor || !settings) throw new Error('embedding worker used before init');
  const maxTokens = extractor.tokenizer.model_max_length;
  // Word pieces are at least one character, but tokenizing megabytes to keep 256 tokens wastes time:
  // cut far beyond what truncation can keep.
  const maxChars = maxTokens * 16;
  const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length);
  const out = new Float32Array(texts.length * dims);
  for (let start = 0; start < order.length; start += settings.batchSize) {
    const idx = order.slice(start, start + settings.batchSize);
    const batch = idx.map(i => (texts[i].length > maxChars ? texts[i].slice(0, maxChars) : texts[i]) || ' ');
    const res = await extractor(batch, { pooling: 'mean', normalize: true });
    idx.forEach((orig, row) => {
      for (let d = 0; d < dims; d++) out[orig * dims + d] = res.data[row * dims + d];
    });
  }
  post({ type: 'result', id, data: out, count: texts.length, dims }, [out.buffer]);
}

function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'init') {
    return init(msg).catch(e => post({ type: 'error', message: describe(e), code: errorCode(e) }));
  }
  return embed(msg.id, msg.texts).catch(e => post({ type: 'error', id: msg.id, message: describe(e), code: errorCode(e) }));
}

parentPort?.on('message', (msg: ToWorker) => {
  queue = queue.then(() => handle(msg));
});
