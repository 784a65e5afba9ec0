import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Indexer, embeddingText } from '../../../src/core/index/indexer';
import { INDEX_FORMAT_VERSION } from '../../../src/core/index/store';
import type { Progress } from '../../../src/core/types';
import { CountingEmbedder, doc, tempDir } from './helpers';

const corpus = () => [
  doc('stg_customers', 'select customer_id, first_name, last_name from raw.jaffle_shop.customers'),
  doc('stg_orders', 'select order_id, customer_id, order_date, status from raw.jaffle_shop.orders'),
  doc('stg_payments', 'select payment_id, order_id, payment_method, amount from raw.stripe.payments'),
  doc('fct_revenue', 'monthly recognised revenue: sum of payment amounts by month'),
  doc('dim_customers', 'one row per customer with lifetime value and first order date'),
];

async function openIndex(dir: string, embedder = new CountingEmbedder()) {
  const logs: string[] = [];
  const ix = await Indexer.open(dir, embedder, '/ws', m => logs.push(m));
  return { ix, embedder, logs };
}

describe('Indexer', () => {
  test('first refresh embeds everything; a reopened index is complete and searchable', async t => {
    const dir = tempDir(t);
    const { ix, embedder } = await openIndex(dir);
    const progress: Progress[] = [];
    const r = await ix.refresh(corpus(), p => progress.push(p));
    assert.equal(r.embedded, 5);
    assert.equal(r.unchanged, 0);
    assert.match(r.rebuilt ?? '', /no index/);
    assert.equal(embedder.seen.length, 5);
    assert.deepEqual(progress.at(-1), { phase: 'embed', done: 5, total: 5, message: 'embedded 5/5 documents' });
    for (const f of ['meta.json', 'documents.json', 'vectors.bin']) assert.ok(fs.existsSync(path.join(dir, f)), f);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
    assert.equal(meta.formatVersion, INDEX_FORMAT_VERSION);
    assert.equal(meta.embedderId, 'hashed-ngram-v1');
    assert.equal(meta.dims, 384);
    assert.equal(meta.workspace, '/ws');

    const again = await openIndex(dir);
    assert.equal(again.ix.documents().length, 5);
    assert.equal(again.ix.get('stg_orders')?.text, corpus()[1].text);
    assert.equal(again.ix.keywordSearch('stg_orders', 3)[0].id, 'stg_orders');
    assert.equal((await again.ix.vectorSearch('customer lifetime value', 3))[0].id, 'dim_customers');
    const r2 = await again.ix.refresh(corpus());
    assert.deepEqual({ ...r2, ms: 0 }, { embedded: 0, removed: 0, unchanged: 5, ms: 0 });
    assert.equal(again.embedder.seen.length, 1); // only the vector-search query
    assert.equal(again.ix.stats().documents, 5);
    assert.equal(again.ix.stats().vectors, 5);
  });

  test('incremental refresh re-embeds only the edited documents and drops deleted ones everywhere', async t => {
    const dir = tempDir(t);
    await (await openIndex(dir)).ix.refresh(corpus());
    const { ix, embedder } = await openIndex(dir);
    const docs = corpus();
    docs[2] = doc('stg_payments', 'select payment_id, order_id, refund_reason from raw.stripe.payments');
    const withoutRevenue = docs.filter(d => d.id !== 'fct_revenue');
    const r = await ix.refresh(withoutRevenue);
    assert.equal(r.embedded, 1);
    assert.equal(r.removed, 1);
    assert.equal(r.unchanged, 3);
    assert.equal(r.rebuilt, undefined);
    assert.deepEqual(embedder.seen, [embeddingText(docs[2])]);
    // the removal reached the document map, the keyword index and the vectors, also after reopening
    for (const x of [ix, (await openIndex(dir)).ix]) {
      assert.equal(x.get('fct_revenue'), undefined);
      assert.ok(!x.keywordSearch('revenue', 10).some(h => h.id === 'fct_revenue'));
      assert.ok(!(await x.vectorSearch('monthly recognised revenue', 10)).some(h => h.id === 'fct_revenue'));
      assert.equal(x.stats().vectors, 4);
      assert.equal(x.keywordSearch('refund_reason', 3)[0].id, 'stg_payments');
    }
  });

  test('a moved citation with unchanged text updates the document without re-embedding', async t => {
    const dir = tempDir(t);
    await (await openIndex(dir)).ix.refresh(corpus());
    const { ix, embedder } = await openIndex(dir);
    const docs = corpus();
    docs[0] = { ...docs[0], citation: { ...docs[0].citation, startLine: 10, endLine: 12 } };
    const r = await ix.refresh(docs);
    assert.equal(r.embedded, 0);
    assert.equal(embedder.seen.length, 0);
    assert.equal((await openIndex(dir)).ix.get('stg_customers')?.citation.startLine, 10);
  });

  test('another embedder id rebuilds the index with a reason', async t => {
    const dir = tempDir(t);
    await (await openIndex(dir)).ix.refresh(corpus());
    const { ix, embedder, logs } = await openIndex(dir, new CountingEmbedder('other-embedder-v2'));
    assert.equal(ix.documents().length, 0);
    const r = await ix.refresh(corpus());
    assert.match(r.rebuilt ?? '', /built with embedder hashed-ngram-v1, now other-embedder-v2/);
    assert.equal(embedder.seen.length, 5);
    assert.ok(logs.some(l => l.includes('starting a new index')));
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')).embedderId, 'other-embedder-v2');
  });

  const damage: [string, (dir: string) => void, RegExp][] = [
    ['corrupt documents.json', dir => fs.writeFileSync(path.join(dir, 'documents.json'), '[{"id": "stg_'), /documents\.json.*not valid JSON/],
    ['truncated vectors', dir => {
      const f = path.join(dir, 'vectors.bin');
      fs.truncateSync(f, fs.statSync(f).size - 100);
    }, /vectors\.bin.*truncated/],
    ['old formatVersion', dir => {
      const f = path.join(dir, 'meta.json');
      fs.writeFileSync(f, JSON.stringify({ ...JSON.parse(fs.readFileSync(f, 'utf8')), formatVersion: 0 }));
    }, /format version 0/],
    ['corrupt meta.json', dir => fs.writeFileSync(path.join(dir, 'meta.json'), '{'), /meta\.json is not valid JSON/],
    ['missing meta.json', dir => fs.rmSync(path.join(dir, 'meta.json')), /no index/],
  ];
  for (const [name, hurt, reason] of damage) {
    test(`${name}: the index is rebuilt with a reason, not a crash`, async t => {
      const dir = tempDir(t);
      await (await openIndex(dir)).ix.refresh(corpus());
      hurt(dir);
      const { ix, embedder } = await openIndex(dir);
      assert.equal(ix.documents().length, 0);
      assert.match(ix.stats().rebuiltReason ?? '', reason);
      const r = await ix.refresh(corpus());
      assert.match(r.rebuilt ?? '', reason);
      assert.equal(r.embedded, 5);
      assert.equal(embedder.seen.length, 5);
      const healed = await openIndex(dir);
      assert.equal(healed.ix.documents().length, 5);
      assert.equal(healed.ix.stats().rebuiltReason, undefined);
    });
  }

  test('a crash mid-write leaves the previous index readable: leftover .tmp files and a torn journal line are ignored', async t => {
    const dir = tempDir(t);
    const first = await openIndex(dir);
    await first.ix.refresh(corpus());
    const edited = corpus();
    edited[1] = doc('stg_orders', 'select order_id, status from raw.jaffle_shop.orders where not deleted');
    await first.ix.refresh(edited);
    assert.ok(fs.existsSync(path.join(dir, 'documents.log')) && fs.existsSync(path.join(dir, 'vectors.bin.log'))); // journalled
    // a crash while writing the next snapshot and while appending the next journal line
    fs.writeFileSync(path.join(dir, 'documents.json.tmp'), '[{"id":"half');
    fs.writeFileSync(path.join(dir, 'vectors.bin.tmp'), Buffer.alloc(10));
    fs.writeFileSync(path.join(dir, 'meta.json.tmp'), '{"formatVer');
    fs.appendFileSync(path.join(dir, 'documents.log'), '{"put":[{"id":"stg_orders","kind":"model","title":"stg_or');
    const { ix, embedder } = await openIndex(dir);
    assert.equal(ix.stats().rebuiltReason, undefined);
    assert.equal(ix.get('stg_orders')?.text, edited[1].text);
    const r = await ix.refresh(edited);
    assert.equal(r.embedded, 0);
    assert.equal(embedder.seen.length, 0);
  });

  test('a crash between the vector write and the document commit re-embeds exactly the affected document', async t => {
    const dir = tempDir(t);
    await (await openIndex(dir)).ix.refresh(corpus());
    const { ix } = await openIndex(dir);
    const docs = corpus();
    docs[3] = doc('fct_revenue', 'net revenue after refunds');
    await ix.refresh(docs);
    // undo the last step of the commit: the final journal line with the changed document
    const log = path.join(dir, 'documents.log');
    const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 2); // [drop fct_revenue], [put fct_revenue]
    fs.writeFileSync(log, lines[0] + '\n');
    const reopened = await openIndex(dir);
    assert.equal(reopened.ix.get('fct_revenue'), undefined); // known as unknown, not stale
    assert.equal(reopened.ix.stats().vectors, 4); // the orphan vector was dropped
    const r = await reopened.ix.refresh(docs);
    assert.equal(r.embedded, 1);
    assert.deepEqual(reopened.embedder.seen, [embeddingText(docs[3])]);
  });

  test('refreshes in batches with progress per batch, keeps finished batches when aborted', async t => {
    const dir = tempDir(t);
    const embedder = new CountingEmbedder();
    const ix = await Indexer.open(dir, embedder, '/ws', undefined, { batchSize: 2 });
    const many = Array.from({ length: 7 }, (_, i) => doc(`m${i}`, `model number ${i} ${'x'.repeat(i)}`));
    const progress: number[] = [];
    await ix.refresh(many, p => progress.push(p.done));
    assert.deepEqual(progress, [0, 2, 4, 6, 7]);

    const ctrl = new AbortController();
    const changed = many.map(d => doc(d.id, d.text + ' v2'));
    let batches = 0;
    const run = ix.refresh(changed, p => { if (p.done > 0 && ++batches === 2) ctrl.abort(); }, ctrl.signal);
    await assert.rejects(run, (e: Error) => e.name === 'AbortError');
    const resumed = await Indexer.open(dir, new CountingEmbedder(), '/ws');
    const r = await resumed.refresh(changed);
    assert.equal(r.embedded, 3); // 4 of 7 were saved before the abort
  });

  test('an embedder failure keeps the finished batches and says how far it got', async t => {
    const dir = tempDir(t);
    const embedder = new CountingEmbedder();
    let calls = 0;
    const inner = embedder.embed.bind(embedder);
    embedder.embed = async texts => { if (++calls === 2) throw new Error('worker crashed'); return inner(texts); };
    const ix = await Indexer.open(dir, embedder, '/ws', undefined, { batchSize: 2 });
    const many = Array.from({ length: 5 }, (_, i) => doc(`m${i}`, `model ${i}`));
    await assert.rejects(ix.refresh(many), /stopped after 2 of 5 documents: worker crashed/);
    assert.equal((await Indexer.open(dir, new CountingEmbedder(), '/ws')).documents().length, 2);
  });

  test('close() waits for the refresh and disposes the embedder', async t => {
    const dir = tempDir(t);
    const embedder = new CountingEmbedder();
    let disposed = false;
    embedder.dispose = async () => { disposed = true; };
    const ix = await Indexer.open(dir, embedder, '/ws');
    const run = ix.refresh(corpus());
    await ix.close();
    assert.equal((await run).embedded, 5);
    assert.ok(disposed);
  });
});

test('the minisearch keyword index can still be chosen and ranks the same top hit', async t => {
  const dir = tempDir(t);
  const a = await Indexer.open(dir, new CountingEmbedder(), '/ws', undefined, { keywordIndex: 'minisearch' });
  await a.refresh(corpus());
  const b = await Indexer.open(dir, new CountingEmbedder(), '/ws');
  for (const q of ['stg_orders', 'payment amounts', 'lifetime value']) {
    assert.equal(a.keywordSearch(q, 1)[0]?.id, b.keywordSearch(q, 1)[0]?.id, q);
  }
});
