import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine';
import { copyExample, type ExampleCopy } from '../../support/example';

describe('engine on a copy of the example project', () => {
  let ex: ExampleCopy;
  let indexDir: string;
  let engine: Engine;

  before(async () => {
    ex = copyExample();
    indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-index-'));
    engine = await Engine.open({ workspace: ex.dir, indexDir, embedding: { kind: 'hashed' } });
  });
  after(async () => {
    await engine.close();
    ex.cleanup();
    fs.rmSync(indexDir, { recursive: true, force: true });
  });

  test('a cold refresh indexes the project, its history and reports the missing warehouse without failing', async () => {
    const r = await engine.refresh();
    assert.equal(r.projects, 1);
    assert.ok(r.documents > 80, `documents ${r.documents}`);
    assert.equal(r.embedded, r.documents);
    const s = engine.status();
    assert.equal(s.history.commits, 3);
    assert.equal(s.embedder.kind, 'hashed');
    assert.ok(s.warehouse?.error, 'the DuckDB file was never built in this copy');
    assert.match(s.warehouse!.error!, /not found/i);
  });

  test('an edited model re-embeds only its own documents', async () => {
    const total = (await engine.refresh()).documents;
    fs.appendFileSync(path.join(ex.dir, 'models/staging/shop/stg_shop__orders.sql'), '\n-- touched\n');
    const r = await engine.refresh();
    assert.equal(r.documents, total);
    assert.equal(r.embedded, 1, 'the model SQL document only');
    assert.equal(r.removed, 0);
    assert.equal(r.unchanged, total - 1);
    const again = await engine.refresh();
    assert.equal(again.embedded, 0, 'nothing changed since');
  });

  test('a deleted model leaves the index and the answers', async () => {
    const target = path.join(ex.dir, 'models/marts/finance/payment_reconciliation.sql');
    const before = await engine.search('payment_reconciliation', 5);
    assert.ok(before.some(h => h.doc.citation.path === 'models/marts/finance/payment_reconciliation.sql'));
    fs.rmSync(target);
    const r = await engine.refresh();
    assert.ok(r.removed >= 1);
    const hits = await engine.search('payment_reconciliation', 10);
    assert.ok(!hits.some(h => h.doc.citation.path === 'models/marts/finance/payment_reconciliation.sql'));
  });

  test('history answers follow the rename and cite the commits', async () => {
    const head = ex.git(['rev-parse', 'HEAD']).trim();
    const a = await engine.ask('Who last changed fct_orders?');
    assert.match(a.answer, /Cy Checker/);
    assert.equal(a.citations[0].path, 'models/marts/core/fct_orders.sql');
    const commits = a.citations.filter(c => c.commit);
    assert.equal(commits[0].commit, head);
    assert.equal(commits.length, 3, 'three commits, the first under the old name orders_fact.sql');
  });

  test('a malformed YAML file is reported with file and line and the rest still answers', async () => {
    fs.writeFileSync(path.join(ex.dir, 'models/marts/broken.yml'), 'version: 2\nmodels:\n  - name: x\n    columns: [a, b\n');
    await engine.refresh();
    const p = engine.status().problems.find(x => x.path === 'models/marts/broken.yml');
    assert.ok(p, 'problem reported');
    assert.ok(p!.line && p!.line >= 4, `line ${p!.line}`);
    const a = await engine.ask('What is upstream of dim_customers?');
    assert.match(a.answer, /stg_shop__customers/);
  });

  test('a corrupt index is rebuilt with a message, not a crash', async () => {
    await engine.close();
    for (const f of fs.readdirSync(indexDir)) {
      const p = path.join(indexDir, f);
      if (fs.statSync(p).isFile()) fs.writeFileSync(p, 'garbage\0\0');
    }
    engine = await Engine.open({ workspace: ex.dir, indexDir, embedding: { kind: 'hashed' } });
    const r = await engine.refresh();
    assert.ok(r.rebuilt, 'a rebuild reason is given');
    assert.equal(r.embedded, r.documents);
    const a = await engine.ask('Where is the orders fact table defined?');
    assert.equal(a.citations[0].path, 'models/marts/core/fct_orders.sql');
  });
});
