import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FlatVectorStore } from '../../../src/core/index/vectors/flat';
import { IndexFormatError } from '../../../src/core/index/errors';
import { tempDir } from './helpers';

/** Deterministic pseudo-random unit vectors. */
function vectors(n: number, dims: number, seed = 1): Float32Array[] {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: dims }, rnd);
    const l = Math.hypot(...v);
    return v.map(x => x / l);
  });
}

function naiveTop(items: { id: string; vector: Float32Array }[], q: Float32Array, k: number) {
  return items.map(it => ({ id: it.id, score: it.vector.reduce((s, x, i) => s + x * q[i], 0) }))
    .sort((a, b) => b.score - a.score).slice(0, k);
}

describe('FlatVectorStore', () => {
  test('top-k equals a naive full sort, also after deletes and overwrites', async t => {
    const dir = tempDir(t);
    const store = FlatVectorStore.create(path.join(dir, 'v.bin'), 32);
    let items = vectors(500, 32).map((vector, i) => ({ id: `d${i}`, vector }));
    await store.upsert(items);
    const queries = vectors(5, 32, 99);
    for (const q of queries) {
      const got = await store.query(q, 10);
      const want = naiveTop(items, q, 10);
      assert.deepEqual(got.map(h => h.id), want.map(h => h.id));
      got.forEach((h, i) => assert.ok(Math.abs(h.score - want[i].score) < 1e-5));
    }
    await store.delete(items.filter((_, i) => i % 3 === 0).map(it => it.id));
    const replaced = vectors(50, 32, 7);
    const overwrites = items.filter((_, i) => i % 3 === 1).slice(0, 50).map((it, i) => ({ id: it.id, vector: replaced[i] }));
    await store.upsert(overwrites);
    const byId = new Map(items.filter((_, i) => i % 3 !== 0).map(it => [it.id, it.vector]));
    for (const o of overwrites) byId.set(o.id, o.vector);
    items = [...byId].map(([id, vector]) => ({ id, vector }));
    assert.equal(store.size(), items.length);
    for (const q of queries) assert.deepEqual((await store.query(q, 7)).map(h => h.id), naiveTop(items, q, 7).map(h => h.id));
    assert.equal((await store.query(queries[0], 10_000)).length, items.length);
    assert.deepEqual(await store.query(queries[0], 0), []);
  });

  test('persists through snapshot and journal, and reloads the same state', async t => {
    const dir = tempDir(t);
    const file = path.join(dir, 'v.bin');
    const vs = vectors(40, 8);
    const a = await FlatVectorStore.open(file, 8);
    await a.upsert(vs.slice(0, 30).map((vector, i) => ({ id: `d${i}`, vector })));
    await a.flush(); // first flush: snapshot
    assert.ok(fs.existsSync(file));
    assert.ok(!fs.existsSync(`${file}.log`));
    await a.delete(['d3', 'd4']);
    await a.upsert([{ id: 'd5', vector: vs[35] }, { id: 'new', vector: vs[36] }]);
    await a.flush(); // small change: journal
    assert.ok(fs.existsSync(`${file}.log`));
    const b = await FlatVectorStore.open(file, 8);
    assert.equal(b.size(), 29);
    assert.ok(!b.has('d3') && !b.has('d4') && b.has('new'));
    assert.deepEqual(Array.from(b.get('d5')!), Array.from(vs[35]));
    assert.deepEqual(Array.from(b.get('d7')!), Array.from(vs[7]));
    assert.deepEqual(b.ids().sort(), a.ids().sort());
  });

  test('a torn journal tail (crash mid-append) is dropped; a leftover .tmp is ignored', async t => {
    const dir = tempDir(t);
    const file = path.join(dir, 'v.bin');
    const vs = vectors(5, 4);
    const a = await FlatVectorStore.open(file, 4);
    await a.upsert([{ id: 'a', vector: vs[0] }]);
    await a.flush();
    await a.upsert([{ id: 'b', vector: vs[1] }]);
    await a.flush();
    const committed = fs.statSync(`${file}.log`).size;
    await a.upsert([{ id: 'c', vector: vs[2] }]);
    await a.flush();
    const log = fs.readFileSync(`${file}.log`);
    fs.writeFileSync(`${file}.log`, log.subarray(0, log.length - 5)); // the last record lost its end
    fs.writeFileSync(`${file}.tmp`, 'half-written snapshot');
    const b = await FlatVectorStore.open(file, 4);
    assert.deepEqual(b.ids().sort(), ['a', 'b']);
    assert.equal(fs.statSync(`${file}.log`).size, committed); // truncated back to the last whole record
    await b.upsert([{ id: 'd', vector: vs[3] }]);
    await b.flush();
    assert.deepEqual((await FlatVectorStore.open(file, 4)).ids().sort(), ['a', 'b', 'd']);
  });

  test('a damaged record in the middle of the journal is a format error', async t => {
    const dir = tempDir(t);
    const file = path.join(dir, 'v.bin');
    const vs = vectors(3, 4);
    const a = await FlatVectorStore.open(file, 4);
    await a.upsert([{ id: 'a', vector: vs[0] }]);
    await a.flush();
    await a.upsert([{ id: 'b', vector: vs[1] }]);
    await a.flush();
    await a.upsert([{ id: 'c', vector: vs[2] }]);
    await a.flush();
    const log = fs.readFileSync(`${file}.log`);
    log[20] ^= 0xff; // inside the first record's payload
    fs.writeFileSync(`${file}.log`, log);
    await assert.rejects(FlatVectorStore.open(file, 4), IndexFormatError);
  });

  test('bad magic, other version, other dims, truncation and padding are IndexFormatErrors', async t => {
    const dir = tempDir(t);
    const file = path.join(dir, 'v.bin');
    const a = FlatVectorStore.create(file, 4);
    await a.upsert(vectors(3, 4).map((vector, i) => ({ id: `d${i}`, vector })));
    await a.flush();
    const good = fs.readFileSync(file);
    const variants: [string, Buffer, number][] = [
      ['truncated', good.subarray(0, good.length - 3), 4],
      ['padded', Buffer.concat([good, Buffer.alloc(4)]), 4],
      ['magic', Buffer.concat([Buffer.from('NOTAVECS'), good.subarray(8)]), 4],
      ['dims', good, 8],
      ['empty', Buffer.alloc(0), 4],
    ];
    const version = Buffer.from(good); version.writeUInt32LE(99, 8);
    variants.push(['version', version, 4]);
    for (const [name, bytes, dims] of variants) {
      fs.writeFileSync(file, bytes);
      await assert.rejects(FlatVectorStore.open(file, dims), (e: unknown) => e instanceof IndexFormatError && /rebuilt/.test(e.message), name);
    }
  });

  test('folds the journal into a new snapshot once it grows past a quarter of the snapshot', async t => {
    const dir = tempDir(t);
    const file = path.join(dir, 'v.bin');
    const dims = 64;
    const s = await FlatVectorStore.open(file, dims, { minCompactBytes: 0 });
    await s.upsert(vectors(1000, dims).map((vector, i) => ({ id: `d${i}`, vector })));
    await s.flush();
    const base = fs.statSync(file).size;
    const states: string[] = [];
    const updates = vectors(400, dims, 5);
    for (let i = 0; i < 400; i += 40) {
      await s.upsert(updates.slice(i, i + 40).map((vector, j) => ({ id: `d${i + j}`, vector })));
      await s.flush();
      const log = fs.statSync(`${file}.log`, { throwIfNoEntry: false });
      states.push(log ? 'log' : 'snapshot');
      if (log) assert.ok(log.size <= base / 4 + 1);
    }
    assert.ok(states.includes('log') && states.indexOf('snapshot') > states.indexOf('log'), states.join(','));
    const again = await FlatVectorStore.open(file, dims);
    assert.deepEqual(Array.from(again.get('d350')!), Array.from(updates[350]));
    assert.equal(again.size(), 1000);
  });

  test('rejects vectors of the wrong dimension', async t => {
    const s = FlatVectorStore.create(path.join(tempDir(t), 'v.bin'), 4);
    await assert.rejects(s.upsert([{ id: 'x', vector: new Float32Array(5) }]), /5 dimensions/);
    await assert.rejects(s.query(new Float32Array(3), 1), /3 dimensions/);
  });
});
