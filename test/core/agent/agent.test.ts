// The analytics agent end to end: real DuckDB through the real connection, the model = a scripted local
// OpenAI-compatible server behind the real `openai` client.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runAgent } from '../../../src/core/agent/agent';
import type { AgentEvent } from '../../../src/core/agent/types';
import { call, openWorkspace, scripted, toolMessages, type Workspace } from './agentFixture';

let ws: Workspace;
before(async () => { ws = await openWorkspace(); });
after(async () => { await ws?.close(); });

const LAST_QUARTER = "select sum(net_revenue) as net_revenue, count(*) as orders from marts.fct_orders where order_date >= date '2025-10-01' and order_date < date '2026-01-01'";

describe('runAgent', () => {
  test('describes a table, runs a query and answers with the SQL, the rows and citations to the model and its YAML columns', async () => {
    const s = await scripted(ws, (_b, n) => n === 1 ? call('describe_table', { table: 'marts.fct_orders' })
      : n === 2 ? call('execute_query', { sql: LAST_QUARTER })
      : { content: 'Net revenue last quarter (2025 Q4) was $133,392.20 over 554 orders.' });
    try {
      const events: AgentEvent[] = [];
      const a = await runAgent('How much did we sell last quarter?', s.ctx, { onEvent: e => events.push(e) });
      assert.equal(a.mode, 'llm');
      assert.equal(a.steps, 3);
      assert.equal(a.sql, LAST_QUARTER);
      assert.deepEqual(a.result?.columns.map(c => c.name), ['net_revenue', 'orders']);
      assert.deepEqual(a.result?.rows, [[133392.2, 554]]);
      assert.match(a.answer, /^Net revenue last quarter/);
      assert.ok(a.answer.includes(`\`\`\`sql\n${LAST_QUARTER}\n\`\`\``), 'the answer shows the SQL');
      assert.match(a.answer, /\| net_revenue \| orders \|\n\| ---: \| ---: \|\n\| 133392\.2 \| 554 \|/);
      // The model's words alone, for UIs that show the SQL, rows and sources themselves.
      assert.equal(a.text, 'Net revenue last quarter (2025 Q4) was $133,392.20 over 554 orders.');
      assert.equal(a.note, undefined);

      // Citations: fct_orders' SQL file, then the YAML entries of the columns the SQL used, at their real lines.
      const snap = await ws.engine.snapshot();
      const node = snap.graph.resolve('fct_orders')!;
      const col = (name: string) => node.columns.find(c => c.name === name)!.location!;
      assert.deepEqual(a.citations.map(c => [c.path, c.kind, c.startLine]), [
        ['models/marts/core/fct_orders.sql', 'model', node.location!.startLine],
        ['models/marts/core/_core__models.yml', 'column', col('net_revenue').startLine],
        ['models/marts/core/_core__models.yml', 'column', col('order_date').startLine],
      ]);
      assert.match(a.answer, /\*\*Sources:\*\* fct_orders \[1\] \(net_revenue \[2\], order_date \[3\]\)/);

      // What the model saw: the schema context in the system prompt, the describe result, then the rows.
      const sys = s.messages(1)[0].content ?? '';
      assert.match(sys, /marts\.fct_orders \(table, 2500 rows; dbt model fct_orders; preferred\)/);
      assert.match(sys, /Preferred tables/);
      assert.ok(sys.indexOf('marts.fct_orders') < sys.indexOf('raw.raw_orders'), 'marts come before raw tables');
      assert.deepEqual(s.server.requests[0].body.tools?.map(t => t.function.name),
        ['list_schemas', 'list_tables', 'describe_table', 'sample_data', 'execute_query', 'search', 'lineage', 'history']);
      const [described, rows] = toolMessages(s.messages(3));
      assert.match(described, /net_revenue DECIMAL\(18,2\)/);
      assert.match(rows, /1 row in \d+ ms/);
      assert.match(rows, /\| 133392\.2 \| 554 \|/);

      // One event per call and result, the query's with its SQL and rows.
      assert.deepEqual(events.filter(e => e.type !== 'token').map(e => `${e.type}:${'name' in e ? e.name : ''}`),
        ['tool_call:describe_table', 'tool_result:describe_table', 'tool_call:execute_query', 'tool_result:execute_query']);
      const q = events.find(e => e.type === 'tool_call' && e.name === 'execute_query');
      assert.equal(q?.type === 'tool_call' ? q.sql : '', LAST_QUARTER);
      const r = events.find(e => e.type === 'tool_result' && e.name === 'execute_query');
      assert.equal(r?.type === 'tool_result' ? r.result?.rows.length : -1, 1);
      assert.ok(events.some(e => e.type === 'token'), 'the final answer streamed');
      assert.equal(s.rec.opened, 1);
      assert.equal(s.rec.closed, 1, 'the connection is closed when the run ends');
    } finally { await s.server.close(); }
  });

  test('a hallucinated column is caught before running; the retry with the exact schema succeeds', async () => {
    const bad = 'select sum(revenue) as total from marts.fct_orders';
    const good = 'select sum(net_revenue) as total from marts.fct_orders';
    const s = await scripted(ws, (_b, n) => n === 1 ? call('execute_query', { sql: bad })
      : n === 2 ? call('execute_query', { sql: good }) : { content: 'Total net revenue is shown below.' });
    try {
      const a = await runAgent('What is our total net revenue?', s.ctx);
      assert.ok(!s.rec.ran.some(q => q.includes('sum(revenue)')), 'the bad statement never reached the warehouse');
      assert.equal(s.rec.ran.length, 1);
      const [error] = toolMessages(s.messages(2));
      assert.match(error, /ERROR \(not run\)/);
      assert.match(error, /unknown column `revenue`/);
      assert.match(error, /net_revenue/);
      assert.match(error, /Exact schema of the tables this statement meant:[\s\S]*marts\.fct_orders \(table[\s\S]*order_date DATE/);
      assert.equal(a.sql, good);
      assert.equal(a.result?.rows.length, 1);
      assert.ok(Number(a.result?.rows[0][0]) > 100_000);
    } finally { await s.server.close(); }
  });

  test('a SQL error returns the exact schema of the tables the statement used', async () => {
    const failing = "select cast(order_status as integer) as n from marts.fct_orders";
    const s = await scripted(ws, (_b, n) => n === 1 ? call('execute_query', { sql: failing }) : { content: 'It failed.' });
    try {
      const a = await runAgent('How many orders per status number?', s.ctx);
      const [error] = toolMessages(s.messages(2));
      assert.match(error, /^ERROR: the statement failed: .*(Conversion|convert|cast)/i);
      assert.match(error, /Exact schema of the tables it used \(marts\.fct_orders\)/);
      assert.match(error, /order_status VARCHAR/);
      assert.equal(a.sql, undefined);
      assert.deepEqual(a.citations, []);
    } finally { await s.server.close(); }
  });

  test('a write statement the model proposes is refused, reported, and never runs', async () => {
    const s = await scripted(ws, (_b, n) => n === 1 ? call('execute_query', { sql: "delete from marts.fct_orders where order_status = 'cancelled'" })
      : { content: 'I cannot delete data.' });
    try {
      const events: AgentEvent[] = [];
      const a = await runAgent('Delete the cancelled orders, how many are left?', s.ctx, { onEvent: e => events.push(e) });
      const refused = events.find(e => e.type === 'refused');
      assert.ok(refused && refused.type === 'refused');
      assert.match(refused.sql, /^delete from marts\.fct_orders/);
      assert.match(refused.reason, /Refused/);
      assert.match(toolMessages(s.messages(2))[0], /^REFUSED \(not run\): Refused/);
      assert.deepEqual(s.rec.ran, []);
      assert.equal(a.sql, undefined);
      // The warehouse still has every order.
      const s2 = await scripted(ws, (_b, n) => n === 1 ? call('execute_query', { sql: "select count(*) as n from marts.fct_orders where order_status = 'cancelled'" }) : { content: 'ok' });
      try { assert.deepEqual((await runAgent('How many cancelled orders?', s2.ctx)).result?.rows, [[57]]); } finally { await s2.server.close(); }
    } finally { await s.server.close(); }
  });

  test('a declined confirmation stops the query; the model is told and the answer says so', async () => {
    const sql = 'select count(*) as n from marts.dim_customers';
    const s = await scripted(ws, (_b, n) => n === 1 ? call('execute_query', { sql }) : { content: 'I did not run the query.' });
    try {
      const asked: string[] = [];
      const a = await runAgent('How many customers do we have?', s.ctx, { confirmQuery: async q => { asked.push(q); return false; } });
      assert.deepEqual(asked, [sql]);
      assert.deepEqual(s.rec.ran, []);
      assert.match(toolMessages(s.messages(2))[0], /NOT RUN: the user declined this query/);
      assert.equal(a.stopped, 'declined');
      assert.equal(a.sql, undefined);
      assert.match(a.answer, /You declined the query: it did not run\./);
      assert.ok(a.answer.includes(`**SQL (not run)**\n\n\`\`\`sql\n${sql}\n\`\`\``));
      assert.equal(a.text, 'I did not run the query.');
      assert.equal(a.note, 'You declined the query: it did not run.');

      const ok = await scripted(ws, (_b, n) => n === 1 ? call('execute_query', { sql }) : { content: '300 customers.' });
      try {
        const b = await runAgent('How many customers do we have?', ok.ctx, { confirmQuery: async () => true });
        assert.deepEqual(b.result?.rows, [[300]]);
        assert.equal(b.stopped, undefined);
      } finally { await ok.server.close(); }
    } finally { await s.server.close(); }
  });

  test('the step limit ends a run that never answers', async () => {
    const s = await scripted(ws, () => call('list_schemas', {}));
    try {
      const a = await runAgent('How much did we sell?', s.ctx, { maxSteps: 3 });
      assert.equal(s.server.requests.length, 3);
      assert.equal(a.steps, 3);
      assert.equal(a.stopped, 'step_limit');
      assert.match(a.answer, /Stopped after 3 steps without a final answer/);
      assert.equal(a.text, 'I could not answer from the warehouse.', 'no words from the model: a stand-in, not the note');
      assert.match(a.note ?? '', /^Stopped after 3 steps without a final answer\.$/);
      assert.match(toolMessages(s.messages(3))[0], /shopwise\.marts: 8 tables, 8 built by dbt, 8 preferred/);
    } finally { await s.server.close(); }
  });

  test('cancellation through the AbortSignal stops the run and closes the connection', async () => {
    const s = await scripted(ws, (_b, n) => n === 1 ? call('execute_query', { sql: 'select count(*) from marts.fct_order_items' }) : { content: 'never' });
    try {
      const ctl = new AbortController();
      const run = runAgent('How many order lines?', s.ctx, { signal: ctl.signal, onEvent: e => { if (e.type === 'tool_call') ctl.abort(); } });
      await assert.rejects(run, (e: Error) => e.name === 'AbortError');
      assert.equal(s.server.requests.length, 1, 'no further model call after the cancel');
      assert.equal(s.rec.opened, s.rec.closed);

      const pre = new AbortController();
      pre.abort();
      await assert.rejects(runAgent('How many order lines?', s.ctx, { signal: pre.signal }), (e: Error) => e.name === 'AbortError');
      assert.equal(s.server.requests.length, 1, 'an aborted signal never reaches the model');
    } finally { await s.server.close(); }
  });

  test('personal data is masked in what the model receives, unless allowed', async () => {
    const sql = 'select customer_id, full_name, email, country_code from marts.dim_customers order by customer_id limit 5';
    const reply = (_b: unknown, n: number) => n === 1 ? call('execute_query', { sql }) : { content: 'Here are five customers.' };
    const s = await scripted(ws, reply);
    try {
      const a = await runAgent('Show five customers by id', s.ctx);
      const realEmails = a.result!.rows.map(r => String(r[2]));
      const realNames = a.result!.rows.map(r => String(r[1]));
      assert.ok(realEmails.every(e => e.includes('@')), 'the UI gets the real values');
      const sent = JSON.stringify(s.server.requests.map(r => r.body));
      for (const v of [...realEmails, ...realNames]) assert.ok(!sent.includes(v), `${v} must not reach the model`);
      const seen = toolMessages(s.messages(2))[0];
      assert.match(seen, /masked before reaching you: .*email/);
      assert.ok(a.result!.rows.every(r => seen.includes(String(r[3]))), 'other columns are sent as they are');
      assert.ok(!realEmails.some(e => a.answer.includes(e)), 'the answer text shows the masked table');

      const allowed = await scripted(ws, reply);
      try {
        await runAgent('Show five customers by id', allowed.ctx, { allowPersonalData: true });
        assert.ok(realEmails.every(e => toolMessages(allowed.messages(2))[0].includes(e)));
      } finally { await allowed.server.close(); }
    } finally { await s.server.close(); }
  });
});
