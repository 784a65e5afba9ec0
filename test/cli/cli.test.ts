// The `dea` command as users run it: the esbuild bundle in dist/, on a private copy of the example.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyExample, type ExampleCopy } from '../support/example';
import { startFakeOpenAi, type FakeOpenAi } from '../support/openai-server';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
let ex: ExampleCopy;
let indexDir: string;

function dea(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--workspace', ex.dir, '--index-dir', indexDir, '--hashed'], {
    encoding: 'utf8', env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', DEA_LLM_MODEL: '', OPENAI_MODEL: '', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Like dea() but without blocking the event loop, for tests whose fake servers live in this process. */
function deaAsync(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, ...args, '--workspace', ex.dir, '--index-dir', indexDir, '--hashed'], {
    env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', DEA_LLM_MODEL: '', OPENAI_MODEL: '', ...env },
  });
  let out = '', err = '';
  child.stdout.on('data', d => { out += d; });
  child.stderr.on('data', d => { err += d; });
  return new Promise(resolve => child.on('close', code => resolve({ code, out, err })));
}

before(() => {
  execFileSync(process.execPath, [path.join(ROOT, 'esbuild.config.mjs')], { cwd: ROOT });
  ex = copyExample();
  indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-cli-'));
});
after(() => {
  ex.cleanup();
  fs.rmSync(indexDir, { recursive: true, force: true });
});

describe('dea CLI', () => {
  test('index prints a summary', () => {
    const r = dea(['index']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /projects: +shopwise/);
    assert.match(r.out, /documents: +\d+ \(\d+ embedded/);
    assert.match(r.out, /git: +3 commits/);
  });

  test('ask --json prints exactly answer, mode and citations with workspace-relative paths', () => {
    const r = dea(['ask', 'Who last changed fct_orders?', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), ['answer', 'mode', 'citations']);
    assert.equal(j.mode, 'offline');
    assert.equal(j.citations[0].path, 'models/marts/core/fct_orders.sql');
    const head = ex.git(['rev-parse', 'HEAD']).trim();
    const commit = j.citations.find((c: { commit?: string }) => c.commit);
    assert.equal(commit.commit, head);
    for (const c of j.citations) {
      assert.ok(Object.keys(c).every(k => ['path', 'startLine', 'endLine', 'commit', 'kind'].includes(k)), JSON.stringify(c));
      assert.ok(!path.isAbsolute(c.path) && !c.path.includes('\\'));
    }
  });

  test('ask refreshes a stale index by itself', () => {
    fs.writeFileSync(path.join(ex.dir, 'models/marts/core/fct_refunds.sql'), "select order_id from {{ ref('fct_orders') }} where refund_amount > 0\n");
    const r = dea(['ask', 'Where is fct_refunds defined?', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).citations[0].path, 'models/marts/core/fct_refunds.sql');
  });

  test('lineage prints upstream and downstream to the asked depth', () => {
    const r = dea(['lineage', 'int_order_totals', '--up', '1', '--down', '2', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.ok(j.upstream.some((u: { name: string }) => u.name === 'int_order_items_enriched'));
    assert.ok(j.upstream.every((u: { depth: number }) => u.depth === 1));
    assert.ok(j.downstream.some((d: { name: string; depth: number }) => d.name === 'fct_orders' && d.depth === 1));
    assert.ok(j.downstream.some((d: { depth: number }) => d.depth === 2));
  });

  test('history follows renames', () => {
    const r = dea(['history', 'fct_orders']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /3 commits/);
    assert.match(r.out, /Rename orders_fact to fct_orders/);
    assert.match(r.out, /Initial shopwise project/);
  });

  test('search ranks the named model first', () => {
    const r = dea(['search', 'stg_billing__payments']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out.split('\n')[1], /models\/staging\/billing\/stg_billing__payments\.sql/);
  });

  test('bad usage exits 2 with a message', () => {
    const r = dea(['ask']);
    assert.equal(r.code, 2);
    assert.match(r.err, /question is missing/);
    assert.equal(dea(['frobnicate']).code, 2);
  });

  test('a missing workspace folder exits 1 and says what to pass', () => {
    const r = spawnSync(process.execPath, [CLI, 'ask', 'x', '--workspace', path.join(ex.dir, 'nope'), '--index-dir', indexDir], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /workspace folder .*nope does not exist: pass --workspace DIR/);
  });

  test('an unknown model in lineage exits 1 and says so', () => {
    const r = dea(['lineage', 'no_such_model']);
    assert.equal(r.code, 1);
    assert.match(r.err, /No model, source, seed or snapshot named "no_such_model"/);
  });
});

describe('dea ask with an OpenAI-compatible endpoint', () => {
  let server: FakeOpenAi;
  before(async () => {
    server = await startFakeOpenAi(body => {
      const user = body.messages.find(m => m.role === 'user')?.content ?? '';
      const n = /<source n="(\d+)" kind="model" location="models\/marts\/core\/fct_orders\.sql/.exec(user)?.[1] ?? '1';
      return { content: `fct_orders is the orders fact table [${n}]. Ignore this bogus one [99].` };
    });
  });
  after(() => server.close());

  test('answers in llm mode, grounded in numbered sources, with checked citations', async () => {
    const r = await deaAsync(['ask', 'Where is the orders fact table defined?', '--json'], { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test', DEA_LLM_MODEL: 'test-model' });
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.mode, 'llm');
    assert.deepEqual(j.citations.map((c: { path: string }) => c.path), ['models/marts/core/fct_orders.sql']);
    assert.match(j.answer, /orders fact table \[1\]/, 'markers renumbered to the returned citations');
    assert.ok(!j.answer.includes('[99]'), 'a citation to nothing is dropped');
    const prompt = server.requests[0].body.messages;
    assert.equal(prompt[0].role, 'system');
    assert.match(String(prompt[1].content), /Question: Where is the orders fact table defined\?/);
  });

  test('a failing endpoint exits 1 naming the host', () => {
    const r = dea(['ask', 'What is fct_orders?'], { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', DEA_LLM_MODEL: 'm' });
    assert.equal(r.code, 1);
    assert.match(r.err, /127\.0\.0\.1:9/);
  });
});
