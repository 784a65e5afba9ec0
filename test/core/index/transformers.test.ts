// The real transformers.js load path (worker thread included) with the generated `tiny` model, and the embedder
// selection: local folder, download from a hub (a local HTTP mirror), cache reuse, and every fallback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { selectEmbedder } from '../../../src/core/index/embeddings/select';
import type { Embedder } from '../../../src/core/index/types';
import type { Progress } from '../../../src/core/types';
import { tempDir, tinyModelDir, norm } from './helpers';

delete process.env.DEA_EMBEDDING_MODEL;
delete process.env.HF_ENDPOINT;

let modelDir = '';
let table: Float32Array;
let vocab: Record<string, number>;
const H = 16;

/** BERT basic tokenisation for texts made of whole-vocabulary words: lowercase, split words and punctuation. */
function tokenIds(text: string): number[] {
  const words = text.toLowerCase().match(/[a-z0-9]+|[^a-z0-9\s]/g) ?? [];
  return [vocab['[CLS]'], ...words.map(w => { assert.ok(w in vocab, `"${w}" must be a whole vocabulary entry`); return vocab[w]; }), vocab['[SEP]']];
}

/** What the tiny model must output: the normalised mean of the embedding-table rows of the tokens. */
function expected(ids: number[]): Float32Array {
  const v = new Float64Array(H);
  for (const id of ids) for (let j = 0; j < H; j++) v[j] += table[id * H + j] / ids.length;
  const l = Math.hypot(...v);
  return Float32Array.from(v, x => x / l);
}

function assertClose(got: Float32Array, want: Float32Array, what: string) {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-5, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
}

before(() => {
  modelDir = tinyModelDir();
  const raw = fs.readFileSync(path.join(modelDir, 'embedding_table.f32'));
  table = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  vocab = JSON.parse(fs.readFileSync(path.join(modelDir, 'tokenizer.json'), 'utf8')).model.vocab;
});

describe('TransformersEmbedder through the worker (tiny model)', () => {
  let e: Embedder;
  before(async () => {
    const logs: string[] = [];
    e = await selectEmbedder({ modelPath: modelDir, cacheDir: path.join(modelDir, '..', 'unused-cache'), log: m => logs.push(m) });
    assert.equal(e.status().kind, 'neural', logs.join('\n'));
  });
  after(() => e.dispose());

  test('outputs the exact mean-pooled, normalised embedding-table rows', async () => {
    const texts = ['Select customer_id FROM orders, hello world', 'customer', 'the orders of the customer were shipped'];
    const out = await e.embed(texts); // different lengths in one batch: padding must not leak into the means
    assert.equal(out.length, 3);
    texts.forEach((t, i) => {
      assert.equal(out[i].length, 16);
      assert.ok(Math.abs(norm(out[i]) - 1) < 1e-5);
      assertClose(out[i], expected(tokenIds(t)), t);
    });
  });

  test('is deterministic and keeps input order', async () => {
    const a = await e.embed(['hello world', 'customer orders']);
    const b = await e.embed(['customer orders', 'hello world']);
    assert.deepEqual(Array.from(a[0]), Array.from(b[1]));
    assert.deepEqual(Array.from(a[1]), Array.from(b[0]));
  });

  test('cuts texts at the model maximum of 256 tokens', async () => {
    const [v] = await e.embed(['customer '.repeat(400)]);
    const c = vocab.customer, cls = vocab['[CLS]'], sep = vocab['[SEP]'];
    // transformers.js truncates after adding special tokens: [CLS] + 255 words (older versions keep [SEP])
    const variants = [[cls, ...Array(255).fill(c)], [cls, ...Array(254).fill(c), sep]].map(expected);
    assert.ok(variants.some(w => w.every((x, i) => Math.abs(x - v[i]) < 1e-5)), 'mean of the first 256 tokens');
  });

  test('reports its model and a stable id', async () => {
    const s = e.status();
    assert.equal(s.dims, 16);
    assert.equal(s.model, modelDir);
    assert.equal(s.reason, undefined);
    assert.match(e.id, /^transformers:tiny-v1@[0-9a-f]{8}:q8$/);
    assert.deepEqual(await e.embed([]), []);
  });
});

describe('selectEmbedder fallbacks', () => {
  test('a missing model folder falls back to hashed with the reason', async t => {
    const missing = path.join(tempDir(t), 'no-such-model');
    const e = await selectEmbedder({ modelPath: missing, cacheDir: tempDir(t), allowDownload: true });
    assert.equal(e.status().kind, 'hashed');
    assert.match(e.status().reason ?? '', /no-such-model not found — fix dea\.embeddings\.modelPath/);
  });

  test('a folder without ONNX weights falls back with the reason', async t => {
    const dir = tempDir(t);
    fs.copyFileSync(path.join(modelDir, 'config.json'), path.join(dir, 'config.json'));
    fs.copyFileSync(path.join(modelDir, 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
    const e = await selectEmbedder({ modelPath: dir, cacheDir: tempDir(t) });
    assert.match(e.status().reason ?? '', /no onnx\/model_quantized\.onnx or onnx\/model\.onnx/);
  });

  test('downloads disallowed and no folder: hashed, and the reason says what to set', async t => {
    const e = await selectEmbedder({ cacheDir: tempDir(t), allowDownload: false });
    assert.equal(e.id, 'hashed-ngram-v1');
    assert.match(e.status().reason ?? '', /downloading is off — set dea\.embeddings\.modelPath/);
  });

  test("kind 'hashed' never loads a model", async t => {
    const e = await selectEmbedder({ modelPath: modelDir, cacheDir: tempDir(t), kind: 'hashed' });
    assert.equal(e.status().kind, 'hashed');
  });

  test('DEA_EMBEDDING_MODEL names the folder when no path is given', async t => {
    process.env.DEA_EMBEDDING_MODEL = path.join(tempDir(t), 'from-env');
    try {
      const e = await selectEmbedder({ cacheDir: tempDir(t) });
      assert.match(e.status().reason ?? '', /from-env not found/);
    } finally {
      delete process.env.DEA_EMBEDDING_MODEL;
    }
  });
});

describe('selectEmbedder download', () => {
  const requests: string[] = [];
  let server: http.Server;
  let host = '';
  const model = 'Xenova/all-MiniLM-L6-v2';
  before(async () => {
    // a hub mirror serving the tiny model under the hub's URL layout
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      const m = /^\/Xenova\/all-MiniLM-L6-v2\/resolve\/main\/(.+)$/.exec(req.url ?? '');
      const file = m && path.join(modelDir, m[1]);
      if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) { res.writeHead(404).end('not found'); return; }
      const body = fs.readFileSync(file);
      res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body);
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>(r => server.close(() => r())));

  test('downloads once into the cache with progress, then loads from the cache without the network', async t => {
    const cacheDir = tempDir(t);
    const progress: Progress[] = [];
    const e = await selectEmbedder({ cacheDir, allowDownload: true, remoteHost: host, onProgress: p => progress.push(p) });
    try {
      assert.equal(e.status().kind, 'neural', e.status().reason);
      assert.equal(e.id, `transformers:${model}:q8`);
      assert.ok(fs.existsSync(path.join(cacheDir, 'Xenova', 'all-MiniLM-L6-v2', 'onnx', 'model_quantized.onnx')));
      assert.ok(progress.some(p => p.phase === 'download-model' && p.total > 0 && p.done === p.total));
      assert.ok(requests.some(r => r.endsWith('onnx/model_quantized.onnx')));
      const [v] = await e.embed(['hello world']);
      assertClose(v, expected(tokenIds('hello world')), 'downloaded model output');
    } finally {
      await e.dispose();
    }
    requests.length = 0;
    const offline = await selectEmbedder({ cacheDir, allowDownload: false });
    try {
      assert.equal(offline.status().kind, 'neural', offline.status().reason);
      assert.equal(offline.id, e.id); // same model, same index
      assert.deepEqual(requests, []);
    } finally {
      await offline.dispose();
    }
  });

  test('a damaged cached model is reported, and downloaded again when downloads are allowed', async t => {
    const cacheDir = tempDir(t);
    const cached = path.join(cacheDir, 'Xenova', 'all-MiniLM-L6-v2');
    fs.mkdirSync(path.join(cached, 'onnx'), { recursive: true });
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) fs.copyFileSync(path.join(modelDir, f), path.join(cached, f));
    fs.writeFileSync(path.join(cached, 'onnx', 'model_quantized.onnx'), 'not a model');
    const offline = await selectEmbedder({ cacheDir, allowDownload: false });
    assert.equal(offline.status().kind, 'hashed');
    assert.match(offline.status().reason ?? '', /downloaded model in .* is unreadable/);
    const again = await selectEmbedder({ cacheDir, allowDownload: true, remoteHost: host });
    try {
      assert.equal(again.status().kind, 'neural', again.status().reason);
      assert.equal(fs.statSync(path.join(cached, 'onnx', 'model_quantized.onnx')).size, fs.statSync(path.join(modelDir, 'onnx', 'model_quantized.onnx')).size);
    } finally {
      await again.dispose();
    }
  });

  test('an unreachable hub falls back quickly and names the host and error', async t => {
    const dead = http.createServer();
    await new Promise<void>(r => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>(r => dead.close(() => r())); // nothing listens there now
    const e = await selectEmbedder({ cacheDir: tempDir(t), allowDownload: true, remoteHost: `http://127.0.0.1:${port}/` });
    assert.equal(e.status().kind, 'hashed');
    assert.match(e.status().reason ?? '', new RegExp(`download from 127\\.0\\.0\\.1:${port} failed \\(ECONNREFUSED.*set dea\\.embeddings\\.modelPath`));
  });

  test('a hub that never answers times out instead of hanging the index', async t => {
    const sockets: import('node:net').Socket[] = [];
    const silent = http.createServer(() => undefined); // accepts, never responds
    silent.on('connection', s => sockets.push(s));
    await new Promise<void>(r => silent.listen(0, '127.0.0.1', r));
    const t0 = Date.now();
    try {
      const e = await selectEmbedder({
        cacheDir: tempDir(t), allowDownload: true, timeoutMs: 500,
        remoteHost: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`,
      });
      assert.equal(e.status().kind, 'hashed');
      assert.match(e.status().reason ?? '', /failed \(ETIMEDOUT/);
      assert.ok(Date.now() - t0 < 8000, `${Date.now() - t0} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>(r => silent.close(() => r()));
    }
  });
});
