// Interfaces of the pluggable index artifacts. The orchestrator (index/indexer.ts) only talks to these.

export interface EmbedderStatus {
  /** 'neural' when a transformers.js model is loaded, 'hashed' for the weight-free fallback. */
  kind: 'neural' | 'hashed';
  /** Model id or folder, or the fallback's name. */
  model: string;
  dims: number;
  /** Why the neural model is not in use, when it is not. */
  reason?: string;
}

/** Turns texts into unit-length vectors. */
export interface Embedder {
  readonly id: string;
  readonly dims: number;
  status(): EmbedderStatus;
  embed(texts: string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

export interface VectorHit {
  id: string;
  score: number;
}

/** Persisted nearest-neighbour store (cosine similarity on unit vectors). */
export interface VectorStore {
  readonly dims: number;
  size(): number;
  has(id: string): boolean;
  upsert(items: { id: string; vector: Float32Array }[]): Promise<void>;
  delete(ids: string[]): Promise<void>;
  query(vector: Float32Array, k: number): Promise<VectorHit[]>;
  /** Writes atomically to disk. */
  flush(): Promise<void>;
  /** Every stored id (used to reconcile with the document list after a crash). */
  ids?(): string[];
}

export interface KeywordHit {
  id: string;
  score: number;
}

/** BM25-style keyword search over documents. */
export interface KeywordIndex {
  add(docs: { id: string; title: string; text: string }[]): void;
  remove(ids: string[]): void;
  search(query: string, k: number): KeywordHit[];
  size(): number;
}
