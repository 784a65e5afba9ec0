import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VectraVectorStore } from '../../../src/core/index/vectors/vectra';
import { FlatVectorStore } from '../../../src/core/index/vectors/flat';
import { IndexFormatError } from '../../../src/core/index/errors';
import { Indexer } from '../../../src/core/index/indexer';
import { hashedVector } from '../../../src/core/index/embeddings/hashed';
import { CountingEmbedder, doc, tempDir } from './helpers';

const texts = ['customer orders', 'payment methods', 'monthly revenue', 'product catalogue', 'shipping carriers'];

test('VectraVectorStore answers like FlatVectorStore and persists', async t => {
  const dir = tempDir(t);
  const vectra = await VectraVectorStore.open(path.join(dir, 'vectra'), 384);
  const flat = FlatVectorStore.create(path.join(dir, 'v.bin'), 384);
  const items = texts.map((x, i) => ({ id: `d${i}`, vector: hashedVector(x) }));
  for (const s of [vectra, flat]) {
    await s.upsert(items);
    await s.delete(['d1']);
    await s.flush();
  }
  const q = hashedVector('orders of customers');
  const a = await vectra.query(q, 3), b = await flat.query(q, 3);
  assert.deepEqual(a.map(h => h.id), b.map(h => h.id));
  a.forEach((h, i) => assert.ok(Math.abs(h.score - b[i].score) < 1e-4));
  const again = await VectraVectorStore.open(path.join(dir, 'vectra'), 384);
  assert.equal(again.size(), 4);
  assert.ok(again.has('d0') && !again.has('d1'));
  assert.deepEqual(again.ids().sort(), ['d0', 'd2', 'd3', 'd4']);
  assert.ok(!fs.readdirSync(path.join(dir, 'vectra')).some(f => f.endsWith('.tmp')));
});

test('VectraVectorStore: other dimensions or a damaged file are IndexFormatErrors', async t => {
  const dir = tempDir(t);
  const s = await VectraVectorStore.open(path.join(dir, 'vectra'), 384);
  await s.upsert([{ id: 'a', vector: hashedVector('a b c') }]);
  await s.flush();
  await assert.rejects(VectraVectorStore.open(path.join(dir, 'vectra'), 16), IndexFormatError);
  fs.writeFileSync(path.join(dir, 'vectra', 'index.json'), '{"version":1,"items":[{"id"');
  await assert.rejects(VectraVectorStore.open(path.join(dir, 'vectra'), 384), IndexFormatError);
});

test('the Indexer runs on the vectra store too', async t => {
  const dir = tempDir(t);
  const ix = await Indexer.open(dir, new CountingEmbedder(), '/ws', undefined, { vectorStore: 'vectra' });
  await ix.refresh(texts.map((x, i) => doc(`d${i}`, x)));
  const again = await Indexer.open(dir, new CountingEmbedder(), '/ws', undefined, { vectorStore: 'vectra' });
  assert.equal((await again.vectorSearch('monthly revenue', 1))[0].id, 'd2');
  assert.equal(again.stats().vectorStore, 'vectra');
  // switching the store kind rebuilds instead of misreading
  const flat = await Indexer.open(dir, new CountingEmbedder(), '/ws');
  assert.match(flat.stats().rebuiltReason ?? '', /vectra vector store, flat is configured/);
});
