// The index orchestrator (after Continue's core/indexing): one refresh computes a content-hash plan, removes
// what disappeared, embeds only new and changed documents in batches (progress per batch, checkpoints every
// few seconds so an interrupted build resumes where it stopped), and keeps three artifacts in step:
// the vector store, the keyword index and the document map. Everything on disk goes through IndexStore
// (atomic, versioned; an unreadable or outdated folder is rebuilt with a reason instead of failing).
import type { EmbedderStatus, Embedder, KeywordIndex } from './types';
import type { IndexDocument, ProgressFn } from '../types';
import { abortError } from './errors';
import { MiniSearchKeywordIndex } from './keyword';
import { Bm25KeywordIndex } from './bm25';
import { planRefresh } from './refresh';
import { openIndexStore, type IndexStore, type VectorStoreKind } from './store';

export interface RefreshResult {
  embedded: number;
  removed: number;
  unchanged: number;
  /** Set on the first refresh after the stored index had to be discarded: why. */
  rebuilt?: string;
  ms: number;
}

/** A search hit with its document. */
export interface IndexHit {
  id: string;
  score: number;
  doc: IndexDocument;
}

export interface IndexerOptions {
  vectorStore?: VectorStoreKind;
  /** 'bm25' (default: compact typed arrays) or 'minisearch' (same ranking rules, ~10× the memory; see bm25.ts). */
  keywordIndex?: 'bm25' | 'minisearch';
  /** Documents per embed call (= per progress event). Default 64. */
  batchSize?: number;
  /** Persist progress at least this often during long refreshes. Default 5000 ms. */
  checkpointMs?: number;
}

export interface IndexStats {
  dir: string;
  documents: number;
  vectors: number;
  keywordDocuments: number;
  embedder: EmbedderStatus;
  formatVersion: number;
  vectorStore: VectorStoreKind;
  createdAt: string;
  updatedAt: string;
  /** Bytes of the document and vector files (snapshots + journals). */
  diskBytes: number;
  /** Why the stored index was discarded when it was opened, if it was. */
  rebuiltReason?: string;
}

/** The text embedded for a document (its hash covers the same title + text). */
export function embeddingText(d: IndexDocument): string {
  return `${d.title}\n${d.text}`;
}

/** Keyword title field: the title plus the identifiers the document defines. */
function keywordDoc(d: IndexDocument): { id: string; title: string; text: string } {
  return { id: d.id, title: d.identifiers.length ? `${d.title} ${d.identifiers.join(' ')}` : d.title, text: d.text };
}

/** Same text, different citation/metadata: update the document without re-embedding. Runs for every document
 *  on every refresh, hence plain comparisons rather than serialising. */
function sameMetadata(a: IndexDocument, b: IndexDocument): boolean {
  return a.kind === b.kind && a.title === b.title && a.nodeId === b.nodeId
    && sameFlat(a.citation, b.citation) && sameList(a.identifiers, b.identifiers);
}

function sameFlat(a: object, b: object): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  return true;
}

function sameList(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Indexer {
  private readonly keyword: KeywordIndex;
  private queue: Promise<unknown> = Promise.resolve();
  private pendingRebuild?: string;

  private constructor(
    private readonly store: IndexStore,
    private readonly embedder: Embedder,
    private readonly log: (m: string) => void,
    private readonly opts: IndexerOptions,
    private readonly rebuiltReason?: string,
  ) {
    this.pendingRebuild = rebuiltReason;
    this.keyword = opts.keywordIndex === 'minisearch' ? new MiniSearchKeywordIndex() : new Bm25KeywordIndex();
    this.keyword.add([...store.documents.values()].map(keywordDoc));
  }

  /** Opens (or starts) the index in dir for this embedder. Never throws for a damaged or outdated index. */
  static async open(dir: string, embedder: Embedder, workspace: string, log?: (m: string) => void, opts: IndexerOptions = {}): Promise<Indexer> {
    const say = log ?? (() => undefined);
    const opened = await openIndexStore(dir, { embedderId: embedder.id, dims: embedder.dims, workspace, vectorStore: opts.vectorStore, log: say });
    return new Indexer(opened.store, embedder, say, opts, opened.reason);
  }

  /** Brings the index in line with `docs`. Calls run one after another. Rejects with an AbortError when aborted
   *  (the documents embedded so far are kept). */
  refresh(docs: IndexDocument[], onProgress?: ProgressFn, signal?: AbortSignal): Promise<RefreshResult> {
    const run = this.queue.then(() => this.doRefresh(docs, onProgress, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async doRefresh(docs: IndexDocument[], onProgress?: ProgressFn, signal?: AbortSignal): Promise<RefreshResult> {
    const t0 = performance.now();
    const plan = planRefresh(this.store.hashes(), docs);
    if (plan.remove.length) {
      await this.store.remove(plan.remove);
      this.keyword.remove(plan.remove);
    }
    this.updateMoved(docs);
    // shortest first: the worker batches neighbours, so similar lengths mean little padding
    const compute = plan.compute.slice().sort((a, b) => a.text.length - b.text.length);
    const total = compute.length;
    const size = Math.max(1, this.opts.batchSize ?? 64);
    let done = 0;
    let lastCheckpoint = performance.now();
    onProgress?.({ phase: 'embed', done: 0, total, message: total ? `embedding ${total} documents` : 'index up to date' });
    try {
      for (let start = 0; start < total; start += size) {
        if (signal?.aborted) throw abortError(signal);
        const batch = compute.slice(start, start + size);
        await this.embedBatch(batch);
        done += batch.length;
        onProgress?.({ phase: 'embed', done, total, message: `embedded ${done}/${total} documents` });
        if (performance.now() - lastCheckpoint > (this.opts.checkpointMs ?? 5000)) {
          await this.store.persist();
          lastCheckpoint = performance.now();
        }
      }
    } catch (e) {
      await this.store.persist(); // keep the finished batches
      if ((e as Error).name === 'AbortError') throw e;
      throw new Error(`indexing stopped after ${done} of ${total} documents: ${(e as Error).message} — the ${done} are saved; refresh again to continue`, { cause: e });
    }
    await this.store.persist();
    const result: RefreshResult = { embedded: total, removed: plan.remove.length, unchanged: plan.unchanged, ms: Math.round(performance.now() - t0) };
    if (this.pendingRebuild) result.rebuilt = this.pendingRebuild;
    this.pendingRebuild = undefined;
    this.log(`index: ${total} embedded, ${plan.remove.length} removed, ${plan.unchanged} unchanged in ${result.ms} ms`);
    return result;
  }

  private async embedBatch(batch: IndexDocument[]): Promise<void> {
    const vectors = await this.embedder.embed(batch.map(embeddingText));
    if (vectors.length !== batch.length) throw new Error(`the embedder returned ${vectors.length} vectors for ${batch.length} texts`);
    for (let i = 0; i < batch.length; i++) await this.store.put(batch[i], vectors[i]);
    this.keyword.add(batch.map(keywordDoc));
  }

  /** Documents whose text is unchanged but whose citation or metadata moved (e.g. lines shifted). */
  private updateMoved(docs: IndexDocument[]): void {
    for (const d of docs) {
      const old = this.store.documents.get(d.id);
      if (old && old.hash === d.hash && !sameMetadata(old, d)) {
        this.store.updateDocument(d);
        if (!sameList(old.identifiers, d.identifiers)) this.keyword.add([keywordDoc(d)]);
      }
    }
  }

  /** Waits for a running refresh, makes sure everything is on disk, then disposes the embedder (its worker). */
  async close(): Promise<void> {
    await this.queue;
    await this.store.persist();
    await this.embedder.dispose();
  }

  documents(): IndexDocument[] {
    return [...this.store.documents.values()];
  }

  get(id: string): IndexDocument | undefined {
    return this.store.documents.get(id);
  }

  keywordSearch(query: string, k: number): IndexHit[] {
    return this.withDocs(this.keyword.search(query, k));
  }

  /** Embeds the query and returns the nearest documents by cosine similarity. */
  async vectorSearch(query: string, k: number): Promise<IndexHit[]> {
    if (!this.store.vectors.size() || k <= 0) return [];
    const [v] = await this.embedder.embed([query]);
    return this.withDocs(await this.store.vectors.query(v, k));
  }

  embedderStatus(): EmbedderStatus {
    return this.embedder.status();
  }

  stats(): IndexStats {
    const m = this.store.meta;
    return {
      dir: this.store.dir, documents: this.store.documents.size, vectors: this.store.vectors.size(), keywordDocuments: this.keyword.size(),
      embedder: this.embedder.status(), formatVersion: m.formatVersion, vectorStore: m.vectorStore, createdAt: m.createdAt, updatedAt: m.updatedAt,
      diskBytes: this.store.diskBytes(), rebuiltReason: this.rebuiltReason,
    };
  }

  private withDocs(hits: { id: string; score: number }[]): IndexHit[] {
    const out: IndexHit[] = [];
    for (const h of hits) {
      const doc = this.store.documents.get(h.id);
      if (doc) out.push({ id: h.id, score: h.score, doc });
    }
    return out;
  }
}
