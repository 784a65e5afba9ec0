// Messages between TransformersEmbedder (main thread) and the embedding worker (worker.ts).

export type ModelDtype = 'q8' | 'fp32';

export interface WorkerInit {
  type: 'init';
  /** Hub id (`Xenova/all-MiniLM-L6-v2`) or, for a folder, its basename or absolute path. */
  model: string;
  /** Set when loading from a folder: the folder's parent, given to transformers.js as env.localModelPath. */
  localModelPath?: string;
  /** transformers.js env.cacheDir: downloads land here and are reused offline. */
  cacheDir: string;
  allowRemote: boolean;
  /** Hub mirror, e.g. https://hf-mirror.com/ (transformers.js env.remoteHost). */
  remoteHost?: string;
  dtype: ModelDtype;
  /** Network guard: no response headers, or no body bytes, within this time aborts the download. */
  timeoutMs: number;
  /** Tokens kept per text (the tokenizer truncates to min(this, the model's own limit)). */
  maxTokens: number;
  /** Texts per forward pass. */
  batchSize: number;
  /** ONNX Runtime intra-op threads. */
  threads: number;
}

export interface WorkerEmbed {
  type: 'embed';
  id: number;
  texts: string[];
}

export type ToWorker = WorkerInit | WorkerEmbed;

export interface WorkerReady {
  type: 'ready';
  dims: number;
  maxTokens: number;
}

export interface WorkerProgress {
  type: 'progress';
  file: string;
  loaded: number;
  total: number;
}

export interface WorkerResult {
  type: 'result';
  id: number;
  /** count × dims floats, row i = texts[i]. */
  data: Float32Array;
  count: number;
  dims: number;
}

export interface WorkerError {
  type: 'error';
  /** Absent for init failures. */
  id?: number;
  message: string;
  /** Network error code when known (ENOTFOUND, ECONNREFUSED, ETIMEDOUT, ...). */
  code?: string;
}

export type FromWorker = WorkerReady | WorkerProgress | WorkerResult | WorkerError;
