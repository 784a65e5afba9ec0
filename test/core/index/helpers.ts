// Shared helpers of the index tests (not a test file itself).
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IndexDocument } from '../../../src/core/types';
import type { Embedder, EmbedderStatus } from '../../../src/core/index/types';
import { HashedEmbedder } from '../../../src/core/index/embeddings/hashed';

export const repoRoot = path.resolve(__dirname, '../../..');

export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'dea-index-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The generated `tiny` model, made once per machine into the temp folder (the script renames it into place). */
export function tinyModelDir(): string {
  const dir = path.join(os.tmpdir(), 'dea-test-models', 'tiny-v1');
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'make-test-model.mjs'), 'tiny', dir], { stdio: 'pipe' });
  return dir;
}

export function doc(id: string, text: string, extra: Partial<IndexDocument> = {}): IndexDocument {
  const title = extra.title ?? id;
  return {
    id, kind: 'model', title, text,
    hash: crypto.createHash('sha1').update(title + '\n' + text).digest('hex'),
    citation: { path: `models/${id}.sql`, startLine: 1, endLine: 3, kind: 'model' },
    identifiers: [id],
    ...extra,
  };
}

/** HashedEmbedder that records every text it embeds. */
export class CountingEmbedder implements Embedder {
  readonly inner = new HashedEmbedder();
  readonly seen: string[] = [];
  constructor(readonly id = 'hashed-ngram-v1') {}
  get dims(): number { return this.inner.dims; }
  status(): EmbedderStatus { return this.inner.status(); }
  async embed(texts: string[]): Promise<Float32Array[]> {
    this.seen.push(...texts);
    return this.inner.embed(texts);
  }
  async dispose(): Promise<void> {}
}

export function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
