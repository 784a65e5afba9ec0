// The analytics evaluation harness: every case's ground-truth SQL on the example warehouse, the assertion checker,
// and `dea eval --suite analytics` / `dea ask` end to end with a scripted model behind the local OpenAI-compatible
// server. The CLI is bundled with esbuild like dist/cli.js (into a temp folder: other suites build dist/ at the
// same time) and spawned asynchronously so the server in this process can answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { checkAssertions, loadAnalyticsCases, runAnalyticsEval, type AnalyticsCase } from '../../src/cli/evalAnalytics';
import { ensureExampleWarehouse } from '../../src/cli/demo';
import { openDuckDbConnection } from '../../src/core/warehouse/duckdbConnection';
import { copyExample, type ExampleCopy } from '../support/example';
import { startFakeOpenAi, type ChatRequestBody, type ScriptedReply } from '../support/openai-server';

const ROOT = path.resolve(__dirname, '../..');
const CASES = path.join(ROOT, 'examples/analytics-eval.yaml');
let ex: ExampleCopy;
let tmp: string;

before(async () => {
  ex = copyExample({ history: false });
  await ensureExampleWarehouse(ex.dir);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-eval-analytics-'));
  await build({
    entryPoints: [path.join(ROOT, 'src/cli/main.ts')], outfile: path.join(tmp, 'cli.js'), bundle: true, platform: 'node', target: 'node20',
    format: 'cjs', logLevel: 'warning',
    external: ['vscode', 'tsx', 'tsx/cjs', '@duckdb/node-api', '@huggingface/transformers', 'onnxruntime-node', 'snowflake-sdk', 'vectra'],
  });
});
after(() => {
  ex?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Runs the CLI without blocking this process's event loop; `index` names the index folder (one per concurrent group). */
function dea(index: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [path.join(tmp, 'cli.js'), ...args, '--workspace', ex.dir, '--index-dir', path.join(tmp, index), '--hashed'], {
    // The bundle lives outside the repository: its external packages resolve through NODE_PATH.
    cwd: ROOT, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), OPENAI_API_KEY: '', OPENAI_BASE_URL: '', DEA_LLM_MODEL: '', OPENAI_MODEL: '', DEA_ALLOW_QUERIES: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '', err = '';
  child.stdout.on('data', d => { out += d; });
  child.stderr.on('data', d => { err += d; });
  return new Promise(resolve => child.on('close', code => resolve({ code, out, err })));
}

const question = (b: ChatRequestBody) => b.messages.find(m => m.role === 'user')?.content ?? '';
const ranQuery = (b: ChatRequestBody) => b.messages.some(m => m.role === 'tool');

describe('analytics cases', () => {
  test('the file has 12+ cases with the issue\'s questions, and every ground-truth SQL passes its own assertions', async () => {
    const { cases, problems } = loadAnalyticsCases(CASES);
    assert.deepEqual(problems, []);
    assert.ok(cases.length >= 12, `${cases.length} cases`);
    for (const q of ['How much did we sell last quarter?', 'Which two products are most often bought together?', 'Any anomalies in how we sell products?', 'Average customer lifetime value?']) {
      assert.ok(cases.some(c => c.question === q), q);
    }
    const kinds = new Set(cases.flatMap(c => c.assert.map(a => Object.keys(a)[0])));
    assert.deepEqual([...kinds].sort(), ['approx', 'containsAll', 'containsAny', 'number', 'ordered', 'rowCount']);
    const connection = await openDuckDbConnection(path.join(ex.dir, 'shopwise.duckdb'));
    try {
      const r = await runAnalyticsEval(cases, { connection, dialect: 'duckdb' });
      const failed = r.cases.filter(c => !c.truth.ok).map(c => `${c.id}: ${c.truth.error ?? JSON.stringify(c.truth.results.filter(x => !x.ok))}`);
      assert.deepEqual(failed, []);
      assert.equal(r.truthPassed, cases.length);
      assert.equal(r.accuracy, undefined, 'no agent without a model');
    } finally { await connection.close(); }
  });

  test('the checker fails wrong answers: numbers, tolerance, row counts, strings and order', () => {
    const obs = { columns: ['product', 'units'], rows: [['Aurora Wireless Earbuds', 418], ['Drift Wireless Mouse', 413.4]], text: 'We sold $133,392.20 in total.' };
    const ok = (a: AnalyticsCase['assert']) => checkAssertions(a, obs).map(r => r.ok);
    assert.deepEqual(ok([{ number: 418 }, { number: 413.4 }, { number: 133392.2 }, { number: 417 }]), [true, true, true, false]);
    assert.deepEqual(ok([{ approx: { value: 134000, tolerance: 0.01 } }, { approx: { value: 140000, tolerance: 0.01 } }]), [true, false]);
    assert.deepEqual(ok([{ rowCount: 2 }, { rowCount: 3 }]), [true, false]);
    assert.deepEqual(ok([{ containsAll: ['aurora', 'drift'] }, { containsAll: ['aurora', 'yoga'] }, { containsAny: ['yoga', 'mouse'] }, { containsAny: ['yoga'] }]), [true, false, true, false]);
    assert.deepEqual(ok([{ ordered: ['Aurora Wireless Earbuds', 'Drift Wireless Mouse'] }, { ordered: ['Drift Wireless Mouse', 'Aurora Wireless Earbuds'] }]), [true, false]);
    assert.match(checkAssertions([{ ordered: ['Drift Wireless Mouse', 'Aurora Wireless Earbuds'] }], obs)[0].detail ?? '', /Drift Wireless Mouse@1, Aurora Wireless Earbuds@0/);
  });

  test('a malformed case is reported and skipped; the others load', () => {
    const file = path.join(tmp, 'cases.yaml');
    fs.writeFileSync(file, [
      'cases:',
      '  - { id: good, question: q, sql: select 1 as x, assert: [{ number: 1 }] }',
      '  - { id: no_sql, question: q, assert: [{ number: 1 }] }',
      '  - { id: bad_assert, question: q, sql: select 1, assert: [{ equals: 1 }] }',
    ].join('\n'));
    const { cases, problems } = loadAnalyticsCases(file);
    assert.deepEqual(cases.map(c => c.id), ['good']);
    assert.equal(problems.length, 2);
    assert.match(problems[0].message, /case 2 \(no_sql\): needs id, question and sql/);
    assert.match(problems[1].message, /unknown assertion "equals"/);
  });
});

// The two CLI groups run side by side (separate index folders), the tests of each one after the other (one index).
describe('the dea CLI', { concurrency: true }, () => {
describe('dea eval --suite analytics', { concurrency: false }, () => {
  test('without a model it validates the ground truth only and says so', async () => {
    const r = await dea('eval', ['eval', '--suite', 'analytics']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /no model configured .*ground-truth validation only/);
    const n = loadAnalyticsCases(CASES).cases.length;
    assert.match(r.out, new RegExp(`ground truth: ${n}/${n} cases validated; agent not run`));
  });

  test('with a scripted model it runs the agent on every case and scores its final rows and answer', async () => {
    const { cases } = loadAnalyticsCases(CASES);
    const wrong = 'payment_methods';
    const server = await startFakeOpenAi(body => {
      const c = cases.find(x => x.question === question(body));
      if (!c) return { content: 'I do not know this question.' };
      if (ranQuery(body)) return { content: `Here is the answer to "${c.question}".` };
      // One case answered with a plausible but wrong query (least used first): the harness must catch it.
      const sql = c.id === wrong ? c.sql.replace('order by orders desc', 'order by orders asc') : c.sql;
      return { toolCalls: [{ name: 'execute_query', arguments: JSON.stringify({ sql }) }] } satisfies ScriptedReply;
    });
    try {
      const r = await dea('eval', ['eval', '--suite', 'analytics', '--json'], { OPENAI_BASE_URL: server.url, DEA_LLM_MODEL: 'scripted-analyst', OPENAI_API_KEY: 'sk-test' });
      assert.equal(r.code, 0, r.err);
      const report = JSON.parse(r.out) as { cases: { id: string; truth: { ok: boolean }; agent?: { ok: boolean; sql?: string; steps?: number } }[]; accuracy: number; model: string; truthPassed: number };
      assert.equal(report.cases.length, cases.length);
      assert.equal(report.truthPassed, cases.length);
      assert.match(report.model, /scripted-analyst/);
      assert.deepEqual(report.cases.filter(c => !c.agent?.ok).map(c => c.id), [wrong]);
      assert.equal(report.accuracy, (cases.length - 1) / cases.length);
      assert.ok(report.cases.every(c => c.agent?.steps === 2 && c.agent.sql));
      assert.equal(server.requests.length, cases.length * 2);
      assert.ok(server.requests.every(q => q.body.tools?.some(t => t.function.name === 'execute_query')));

      const text = await dea('eval', ['eval', '--suite', 'analytics', '--min-accuracy', '0.99'], { OPENAI_BASE_URL: server.url, DEA_LLM_MODEL: 'scripted-analyst' });
      assert.equal(text.code, 1, 'below the required accuracy');
      assert.match(text.out, new RegExp(`~ ${wrong} +truth ✓  agent 1/2 \\(0\\.50\\), 2 steps  \\{"ordered"`));
      assert.match(text.out, /✓ last_quarter_sales +truth ✓  agent 1\/1 \(1\.00\), 2 steps/);
      assert.match(text.out, new RegExp(`agent accuracy ${cases.length - 1}/${cases.length} = `));
    } finally { await server.close(); }
  });
});

describe('dea ask routing', { concurrency: false }, () => {
  test('a data question goes to the agent (--json adds sql and rows); a project question keeps the usual shape', async () => {
    const sql = "select sum(net_revenue) as net_revenue from marts.fct_orders where order_date >= date '2025-10-01' and order_date < date '2026-01-01'";
    const server = await startFakeOpenAi(body => {
      if (!body.tools?.length) return { content: 'fct_orders is defined in models/marts/core/fct_orders.sql [1].' };
      return ranQuery(body) ? { content: 'We sold $133,392.20 last quarter.' } : { toolCalls: [{ name: 'execute_query', arguments: JSON.stringify({ sql }) }] };
    });
    const env = { OPENAI_BASE_URL: server.url, DEA_LLM_MODEL: 'scripted-analyst' };
    try {
      const data = await dea('ask', ['ask', 'How much did we sell last quarter?', '--json', '--yes'], env);
      assert.equal(data.code, 0, data.err);
      const j = JSON.parse(data.out);
      assert.deepEqual(Object.keys(j), ['answer', 'mode', 'citations', 'sql', 'rows']);
      assert.equal(j.mode, 'llm');
      assert.equal(j.sql, sql);
      assert.deepEqual(j.rows, [{ net_revenue: 133392.2 }]);
      assert.equal(j.citations[0].path, 'models/marts/core/fct_orders.sql');
      assert.match(j.answer, /```sql/);

      const project = await dea('ask', ['ask', 'Where is the orders fact table defined?', '--json'], env);
      assert.equal(project.code, 0, project.err);
      assert.deepEqual(Object.keys(JSON.parse(project.out)), ['answer', 'mode', 'citations']);

      // Without --yes and without a terminal the model's query is declined, never run.
      const declined = await dea('ask', ['ask', 'How much did we sell last quarter?'], env);
      assert.equal(declined.code, 0, declined.err);
      assert.match(declined.err, /pass --yes to run read-only queries without asking/);
      assert.match(declined.out, /SQL \(not run\)/);
    } finally { await server.close(); }
  });
});
});
