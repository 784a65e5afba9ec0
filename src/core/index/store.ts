// The on-disk index folder:
//   meta.json        {formatVersion, embedderId, dims, vectorStore, createdAt, updatedAt, workspace}
//   documents.json   IndexDocument[] (+ documents.log journal, see documents.ts)
//   vectors.bin      FlatVectorStore snapshot (+ vectors.bin.log journal, see vectors/flat.ts)
//   vectra/          VectraVectorStore's folder instead, when chosen
// openIndexStore loads it all, or, when it is missing, unreadable, of another format version, another embedder
// or dimension, starts empty and says why ({ rebuilt: true, reason }) — never a crash.
//
// Crash safety of one commit (every write is tmp + rename or an fsynced journal append):
//   1. documents journal: drop the ids whose content changes  (they are now "unknown": re-embedded next time)
//   2. vectors flush                                          (new vectors)
//   3. documents journal: the changed documents and removals  (the commit point)
//   4. meta.json updatedAt
// A crash after 1 or 2 leaves documents that are older than or equal to their vectors; on open, documents
// without a vector and vectors without a document are dropped, so the next refresh recomputes exactly those.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IndexDocument } from '../types';
import { readIfExists, removeIfExists, writeFileAtomic } from './atomic';
import { DocumentFile } from './documents';
import { isIndexFormatError } from './errors';
import type { VectorStore } from './types';
import { FlatVectorStore } from './vectors/flat';
import { VectraVectorStore } from './vectors/vectra';

/** Bump when the folder's layout or any file format changes: older folders are rebuilt. */
export const INDEX_FORMAT_VERSION = 1;

export type VectorStoreKind = 'flat' | 'vectra';

export interface IndexMeta {
  formatVersion: number;
  embedderId: string;
  dims: number;
  vectorStore: VectorStoreKind;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  workspace: string;
}

export interface OpenIndexStoreOptions {
  embedderId: string;
  dims: number;
  workspace: string;
  /** Default 'flat' (measured: vectra rewrites its whole file per flush and loads slowly past ~10k items). */
  vectorStore?: VectorStoreKind;
  log?: (m: string) => void;
}

export interface OpenedIndexStore {
  store: IndexStore;
  rebuilt: boolean;
  /** Why the index starts empty, when it does. */
  reason?: string;
}

const INDEX_FILES = ['meta.json', 'meta.json.tmp', 'documents.json', 'documents.json.tmp', 'documents.log', 'vectors.bin', 'vectors.bin.tmp', 'vectors.bin.log'];

export class IndexStore {
  /** Ids whose documents are in the committed state on disk. */
  private readonly onDisk: Set<string>;
  private readonly pendingPut = new Map<string, IndexDocument>();
  /** Staged documents whose vector was recomputed (the others only changed citation or metadata). */
  private readonly pendingVec = new Set<string>();
  private readonly pendingDel = new Set<string>();

  constructor(
    readonly dir: string,
    public meta: IndexMeta,
    readonly documents: Map<string, IndexDocument>,
    readonly vectors: VectorStore,
    private readonly docFile: DocumentFile,
    private metaOnDisk: boolean,
  ) {
    this.onDisk = new Set(documents.keys());
  }

  /** Stages a new or changed document with its vector (in memory until persist()). */
  async put(doc: IndexDocument, vector: Float32Array): Promise<void> {
    await this.vectors.upsert([{ id: doc.id, vector }]);
    this.documents.set(doc.id, doc);
    this.pendingPut.set(doc.id, doc);
    this.pendingVec.add(doc.id);
    this.pendingDel.delete(doc.id);
  }

  /** Stages a document whose text (hence vector) is unchanged but whose citation or metadata moved. */
  updateDocument(doc: IndexDocument): void {
    this.documents.set(doc.id, doc);
    this.pendingPut.set(doc.id, doc);
  }

  /** Stages removals. */
  async remove(ids: string[]): Promise<void> {
    await this.vectors.delete(ids);
    for (const id of ids) {
      this.documents.delete(id);
      this.pendingPut.delete(id);
      this.pendingVec.delete(id);
      if (this.onDisk.has(id)) this.pendingDel.add(id);
    }
  }

  hasPending(): boolean {
    return this.pendingPut.size > 0 || this.pendingDel.size > 0 || !this.metaOnDisk;
  }

  /** Makes the staged changes durable (see the commit protocol at the top of this file). */
  async persist(): Promise<void> {
    if (!this.hasPending()) return;
    const put = [...this.pendingPut.values()];
    const del = [...this.pendingDel];
    const changed = [...this.pendingVec].filter(id => this.onDisk.has(id));
    const all = () => this.documents.values();
    await this.docFile.appendRemovals(changed);
    await this.vectors.flush();
    await this.docFile.append(put, del, all);
    for (const d of put) this.onDisk.add(d.id);
    for (const id of del) this.onDisk.delete(id);
    this.pendingPut.clear();
    this.pendingVec.clear();
    this.pendingDel.clear();
    this.meta = { ...this.meta, updatedAt: new Date().toISOString() };
    await writeFileAtomic(path.join(this.dir, 'meta.json'), JSON.stringify(this.meta, null, 1));
    this.metaOnDisk = true;
  }

  /** Id -> content hash of every stored document. */
  hashes(): Map<string, string> {
    const m = new Map<string, string>();
    for (const [id, d] of this.documents) m.set(id, d.hash);
    return m;
  }

  diskBytes(): number {
    const v = this.vectors as { diskBytes?: () => number };
    return this.docFile.diskBytes() + (v.diskBytes ? v.diskBytes() : 0);
  }

  /** Drops documents without a vector and vectors without a document (left by a crash between writes). */
  async reconcile(): Promise<number> {
    const lost = [...this.documents.keys()].filter(id => !this.vectors.has(id));
    const orphans = (this.vectors.ids?.() ?? []).filter(id => !this.documents.has(id));
    if (lost.length) await this.remove(lost);
    if (orphans.length) await this.vectors.delete(orphans);
    return lost.length + orphans.length;
  }
}

function checkMeta(meta: unknown, want: OpenIndexStoreOptions & { vectorStore: VectorStoreKind }): string | undefined {
  const m = meta as Partial<IndexMeta>;
  if (!m || typeof m !== 'object') return 'meta.json is not an object';
  if (m.formatVersion !== INDEX_FORMAT_VERSION) return `the index has format version ${String(m.formatVersion)}, this version uses ${INDEX_FORMAT_VERSION}`;
  if (m.embedderId !== want.embedderId) return `the index was built with embedder ${String(m.embedderId)}, now ${want.embedderId} is in use`;
  if (m.dims !== want.dims) return `the index holds ${String(m.dims)}-dimensional vectors, the embedder makes ${want.dims}`;
  if ((m.vectorStore ?? 'flat') !== want.vectorStore) return `the index uses the ${String(m.vectorStore)} vector store, ${want.vectorStore} is configured`;
  return undefined;
}

async function openVectors(dir: string, kind: VectorStoreKind, dims: number, fresh: boolean): Promise<VectorStore> {
  if (kind === 'vectra') {
    if (fresh) await fs.promises.rm(path.join(dir, 'vectra'), { recursive: true, force: true });
    return VectraVectorStore.open(path.join(dir, 'vectra'), dims);
  }
  const file = path.join(dir, 'vectors.bin');
  return fresh ? FlatVectorStore.create(file, dims) : FlatVectorStore.open(file, dims);
}

/** Deletes every index file in dir (not the folder, not unknown files). */
async function clearIndexFiles(dir: string): Promise<void> {
  for (const f of INDEX_FILES) await removeIfExists(path.join(dir, f));
  await fs.promises.rm(path.join(dir, 'vectra'), { recursive: true, force: true });
}

async function readMeta(dir: string): Promise<{ meta?: unknown; problem?: string }> {
  const raw = await readIfExists(path.join(dir, 'meta.json'));
  if (!raw) return { problem: `no index in ${dir} yet` };
  try {
    return { meta: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { problem: 'meta.json is not valid JSON' };
  }
}

export async function openIndexStore(dir: string, opts: OpenIndexStoreOptions): Promise<OpenedIndexStore> {
  const want = { ...opts, vectorStore: opts.vectorStore ?? 'flat' };
  await fs.promises.mkdir(dir, { recursive: true });
  const docFile = DocumentFile.inDir(dir);
  const { meta, problem } = await readMeta(dir);
  let reason = problem ?? checkMeta(meta, want);
  if (!reason) {
    try {
      const documents = await docFile.load();
      const vectors = await openVectors(dir, want.vectorStore, want.dims, false);
      const store = new IndexStore(dir, { ...(meta as IndexMeta), workspace: want.workspace }, documents, vectors, docFile, true);
      const fixed = await store.reconcile();
      if (fixed) opts.log?.(`index: dropped ${fixed} entries left inconsistent by an interrupted write; they will be recomputed`);
      return { store, rebuilt: false };
    } catch (e) {
      reason = isIndexFormatError(e) ? e.message : `the index could not be read (${(e as Error).message})`;
    }
  }
  opts.log?.(`index: starting a new index in ${dir}: ${reason}`);
  await clearIndexFiles(dir);
  const now = new Date().toISOString();
  const fresh: IndexMeta = {
    formatVersion: INDEX_FORMAT_VERSION, embedderId: want.embedderId, dims: want.dims, vectorStore: want.vectorStore,
    createdAt: now, updatedAt: now, workspace: want.workspace,
  };
  const vectors = await openVectors(dir, want.vectorStore, want.dims, true);
  const store = new IndexStore(dir, fresh, new Map(), vectors, DocumentFile.inDir(dir), false);
  return { store, rebuilt: true, reason };
}
