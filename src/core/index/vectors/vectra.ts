// VectraVectorStore: the same VectorStore contract over vectra's LocalIndex (one in-memory index persisted as
// one file in a folder). Kept so the bench can compare it with FlatVectorStore; vectra rewrites the whole file
// on every flush and serialises vectors as JSON (or protobuf, which needs the `protobufjs` package), so it
// suits small indexes only. Its file writes go through tmp + rename here (vectra itself overwrites in place).
import type { LocalIndex } from 'vectra';
import { writeFileAtomic } from '../atomic';
import { IndexFormatError } from '../errors';
import type { VectorHit, VectorStore } from '../types';

type Vectra = typeof import('vectra');

export interface VectraOptions {
  /** 'json' (vectra's default) or 'protobuf' (smaller, faster to load; requires `protobufjs`). */
  codec?: 'json' | 'protobuf';
}

export class VectraVectorStore implements VectorStore {
  private readonly idSet = new Set<string>();
  private updating = false;

  private constructor(private readonly index: LocalIndex, readonly dims: number, readonly folder: string) {}

  /** Opens or creates the index in `folder`. Throws IndexFormatError when the file is unreadable or of other dims. */
  static async open(folder: string, dims: number, opts: VectraOptions = {}): Promise<VectraVectorStore> {
    const vectra: Vectra = await import('vectra');
    const storage = new (atomicStorage(vectra))();
    const codec = opts.codec === 'protobuf' ? new vectra.ProtobufCodec() : new vectra.JsonCodec();
    const index = new vectra.LocalIndex(folder, undefined, storage, codec);
    const store = new VectraVectorStore(index, dims, folder);
    if (!(await index.isIndexCreated())) {
      await index.createIndex({ version: 1, deleteIfExists: true });
      return store;
    }
    let items: { id: string; vector: number[] }[];
    try {
      items = await index.listItems();
    } catch (e) {
      throw new IndexFormatError(`${folder}/${index.indexName}`, (e as Error).message);
    }
    const wrong = items.find(i => i.vector.length !== dims);
    if (wrong) throw new IndexFormatError(`${folder}/${index.indexName}`, `${wrong.vector.length}-dimensional vectors, the embedder makes ${dims}`);
    for (const i of items) store.idSet.add(i.id);
    return store;
  }

  size(): number {
    return this.idSet.size;
  }

  has(id: string): boolean {
    return this.idSet.has(id);
  }

  ids(): string[] {
    return [...this.idSet];
  }

  async upsert(items: { id: string; vector: Float32Array }[]): Promise<void> {
    await this.begin();
    for (const { id, vector } of items) {
      if (vector.length !== this.dims) throw new Error(`vector for ${id} has ${vector.length} dimensions, the store holds ${this.dims}`);
      await this.index.upsertItem({ id, vector: Array.from(vector), metadata: {} });
      this.idSet.add(id);
    }
  }

  async delete(ids: string[]): Promise<void> {
    const present = ids.filter(id => this.idSet.has(id));
    if (!present.length) return;
    await this.begin();
    await this.index.deleteItems(present);
    for (const id of present) this.idSet.delete(id);
  }

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    if (vector.length !== this.dims) throw new Error(`query vector has ${vector.length} dimensions, the store holds ${this.dims}`);
    if (this.updating) await this.flush(); // vectra queries the last saved state: publish pending changes first
    const hits = await this.index.queryItems(Array.from(vector), '', k);
    return hits.map(h => ({ id: h.item.id, score: h.score }));
  }

  async flush(): Promise<void> {
    if (!this.updating) return;
    await this.index.endUpdate();
    this.updating = false;
  }

  private async begin(): Promise<void> {
    if (this.updating) return;
    await this.index.beginUpdate();
    this.updating = true;
  }
}

/** vectra's LocalFileStorage with atomic whole-file writes. */
function atomicStorage(vectra: Vectra) {
  return class AtomicFileStorage extends vectra.LocalFileStorage {
    override async upsertFile(filePath: string, content: Buffer | string): Promise<void> {
      await writeFileAtomic(filePath, typeof content === 'string' ? content : new Uint8Array(content));
    }
  };
}
