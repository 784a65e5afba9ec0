// The warehouse in the real extension host, on the example's DuckDB file: Test Warehouse Connection, Run SQL into
// the chat (rows; writes refused; the row limit), the agent-mode tools (registered; execute_query asks first), and
// the chat's analytics agent against a scripted OpenAI-compatible server (steps, confirmation, rows; declined).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { ChatTurn } from '../../../src/extension/protocol';
import type { WarehouseTestResult } from '../../../src/extension/warehouse/warehouseCommands';
import { AGENT_SQL, startFakeLlm, type FakeLlm } from '../harness/fakeLlm';
import { deaApi, waitFor, workspaceDir } from './helpers';

const TOOLS = ['dea_list_schemas', 'dea_list_tables', 'dea_describe_table', 'dea_sample_data', 'dea_execute_query'];
const config = () => vscode.workspace.getConfiguration('dea');
const token = () => new vscode.CancellationTokenSource().token;

/** Warehouse settings reopen the engines: wait until the folder is indexed again. */
async function settled(): Promise<void> {
  const api = await deaApi();
  await new Promise(r => setTimeout(r, 400));
  await waitFor('the engines to be ready again', () => api.engines.all().length > 0 && api.engines.all().every(e => e.state === 'ready'), 60_000);
  await api.engines.whenIdle();
}

function textOf(r: vscode.LanguageModelToolResult): string {
  return r.content.map(p => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe('warehouse', () => {
  before(async () => { await deaApi(); });
  after(async () => {
    await config().update('sql.allowReadOnlyWithoutAsking', undefined, vscode.ConfigurationTarget.Global);
    await config().update('sql.maxRows', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('Test Warehouse Connection opens the example DuckDB file and says what it found', async () => {
    const r = await vscode.commands.executeCommand<WarehouseTestResult>('dea.testWarehouse');
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /shopwise\.duckdb/);
    assert.match(r.message, /\d+ schemas?, \d+ tables/);
    assert.match(r.message, /profiles\.yml/, 'names where the choice came from');
  });

  it('Refresh Warehouse Metadata re-reads the warehouse into the index and keeps it linked to the models', async () => {
    const api = await deaApi();
    await vscode.commands.executeCommand('dea.refreshWarehouse');
    const engine = api.engines.all()[0];
    assert.equal(engine.state, 'ready');
    const tables = engine.snapshot?.catalog?.tables ?? [];
    assert.ok(tables.length > 10, `tables: ${tables.length}`);
    assert.ok(tables.some(t => t.name === 'fct_orders' && t.nodeId === 'model.shopwise.fct_orders'), 'relation linked to its model');
  });

  it('Test Warehouse Connection fails clearly on a missing DuckDB file, naming it', async () => {
    await config().update('warehouse.duckdbPath', 'warehouse/missing.duckdb', vscode.ConfigurationTarget.Workspace);
    try {
      await settled();
      const r = await vscode.commands.executeCommand<WarehouseTestResult>('dea.testWarehouse');
      assert.equal(r.ok, false);
      assert.ok(r.message.includes(path.join(workspaceDir(), 'warehouse/missing.duckdb')), r.message);
      assert.match(r.message, /not found|does not exist|no such file/i);
      assert.match(r.message, /from setting/i, "says where the path came from");
      assert.ok(!fs.existsSync(path.join(workspaceDir(), 'warehouse/missing.duckdb')), 'testing did not create the file');
    } finally {
      await config().update('warehouse.duckdbPath', undefined, vscode.ConfigurationTarget.Workspace);
      await settled();
    }
  });

  it('Run SQL shows the rows in the chat, with elapsed time', async () => {
    const api = await deaApi();
    const sql = 'select channel_name, count(*) as orders from marts.fct_orders group by channel_name order by orders desc';
    const turn = await vscode.commands.executeCommand<ChatTurn>('dea.runSql', sql);
    assert.ok(turn, 'no turn');
    assert.equal(turn.mode, 'sql', turn.answer);
    assert.deepEqual(turn.result?.columns.map(c => c.name), ['channel_name', 'orders']);
    assert.ok(turn.result!.rows.length >= 2, 'rows came back');
    assert.ok(turn.result!.rows.every(r => typeof r[0] === 'string' && typeof r[1] === 'number'));
    assert.ok(turn.result!.elapsedMs >= 0);
    assert.equal(api.chat.turns().at(-1)?.id, turn.id, 'the result is in the chat history');
    assert.equal(api.chatView.isReady, true, 'the chat view showed it');
    // Copy TSV takes the extension's own rows, in the grid's sort order.
    assert.equal(await api.chat.resultAction(turn.id, 'copyTsv', { column: 1, dir: 'asc' }), true);
    const lines = (await vscode.env.clipboard.readText()).trim().split('\r\n');
    assert.equal(lines[0], 'channel_name\torders');
    assert.equal(lines.length, turn.result!.rows.length + 1);
    const counts = lines.slice(1).map(l => Number(l.split('\t')[1]));
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'ascending, as sorted in the grid');
  });

  it('Run SQL runs the selection of the active SQL editor, and sql.maxRows limits the rows', async () => {
    await config().update('sql.maxRows', 7, vscode.ConfigurationTarget.Workspace);
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: '-- orders\nselect order_id, order_total from marts.fct_orders;\n-- not this\nselect 1' });
    const ed = await vscode.window.showTextDocument(doc);
    ed.selection = new vscode.Selection(0, 0, 1, 999);
    const turn = await vscode.commands.executeCommand<ChatTurn>('dea.runSql');
    assert.equal(turn?.mode, 'sql', turn?.answer);
    assert.equal(turn.result?.rows.length, 7);
    assert.equal(turn.result?.truncated, true, 'more rows exist');
    assert.match(turn.question, /selection in Untitled/);
    await config().update('sql.maxRows', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('a write is refused with the reason, and the data is unchanged', async () => {
    const count = async () => (await vscode.commands.executeCommand<ChatTurn>('dea.runSql', 'select count(*) as n from marts.fct_orders'))?.result?.rows[0][0];
    const before = await count();
    assert.equal(typeof before, 'number');
    const out = path.join(workspaceDir(), 'exported.csv');
    for (const sql of ['delete from marts.fct_orders', 'create table marts.x as select 1 as a', `copy marts.fct_orders to '${out}'`,
      'select 1; drop table marts.fct_orders', `select * from read_csv('/etc/passwd')`]) {
      const turn = await vscode.commands.executeCommand<ChatTurn>('dea.runSql', sql);
      assert.equal(turn?.mode, 'error', `${sql} → ${turn?.answer}`);
      assert.match(turn.answer, /Refused/i, turn.answer);
      assert.equal(turn.result, undefined);
    }
    assert.equal(await count(), before);
    assert.ok(!fs.existsSync(out), 'COPY wrote nothing');
  });

  it('registers the five warehouse tools; execute_query asks for confirmation showing the SQL, and refuses writes', async () => {
    const api = await deaApi();
    const names = vscode.lm.tools.map(t => t.name);
    for (const n of TOOLS) assert.ok(names.includes(n), `${n} not registered (have ${names.join(', ')})`);
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { languageModelTools: { name: string }[] } };
    for (const n of TOOLS) assert.ok(manifest.contributes.languageModelTools.some(t => t.name === n), `${n} not in package.json`);

    const exec = api.warehouseTools.dea_execute_query;
    const sql = 'select count(*) from marts.dim_customers';
    const prepared = await exec.prepareInvocation!({ input: { sql } }, token());
    assert.ok(prepared?.confirmationMessages, 'asks before running');
    const message = prepared.confirmationMessages.message;
    assert.ok((typeof message === 'string' ? message : message.value).includes(sql), 'the confirmation shows the SQL');
    assert.match(typeof message === 'string' ? message : message.value, /shopwise\.duckdb/);

    const write = await exec.prepareInvocation!({ input: { sql: 'drop table marts.dim_customers' } }, token());
    assert.equal(write?.confirmationMessages, undefined, 'nothing to confirm: it will not run');
    const refused = textOf(await vscode.lm.invokeTool('dea_execute_query', { input: { sql: 'drop table marts.dim_customers' }, toolInvocationToken: undefined }));
    assert.match(refused, /REFUSED/);

    await config().update('sql.allowReadOnlyWithoutAsking', true, vscode.ConfigurationTarget.Global);
    assert.equal((await exec.prepareInvocation!({ input: { sql } }, token()))?.confirmationMessages, undefined, 'allowed: no confirmation');
    const rows = textOf(await vscode.lm.invokeTool('dea_execute_query', { input: { sql: 'select channel_name from marts.fct_orders group by 1 order by 1' }, toolInvocationToken: undefined }));
    assert.match(rows, /channel_name/);
    assert.match(rows, /\d+ rows? in \d+ ms/);
    await config().update('sql.allowReadOnlyWithoutAsking', undefined, vscode.ConfigurationTarget.Global);

    const tables = textOf(await vscode.lm.invokeTool('dea_list_tables', { input: { schema: 'marts' }, toolInvocationToken: undefined }));
    assert.match(tables, /marts\.fct_orders/);
    const described = textOf(await vscode.lm.invokeTool('dea_describe_table', { input: { table: 'marts.monthly_revenue' }, toolInvocationToken: undefined }));
    assert.match(described, /net_revenue/);
    const schemas = textOf(await vscode.lm.invokeTool('dea_list_schemas', { input: {}, toolInvocationToken: undefined }));
    assert.match(schemas, /marts/);
  });

  describe('analytics agent in the chat (scripted OpenAI-compatible model)', () => {
    let llm: FakeLlm;
    before(async () => {
      llm = await startFakeLlm(0);
      const c = config();
      await c.update('openai.baseUrl', llm.url, vscode.ConfigurationTarget.Global);
      await c.update('openai.model', 'fake-agent', vscode.ConfigurationTarget.Global);
      await c.update('llm.provider', 'openai', vscode.ConfigurationTarget.Global);
      const api = await deaApi();
      await waitFor('the scripted model', () => api.models.current.model?.id.startsWith('openai:fake-agent'));
    });
    after(async () => {
      for (const k of ['llm.provider', 'openai.baseUrl', 'openai.model']) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
      await llm.close();
    });

    it('an analytical question runs the agent: tool calls, the user approves the query, the answer has the SQL and rows', async () => {
      const api = await deaApi();
      const answering = api.chat.ask('How much net revenue did we make per month?');
      const waiting = await waitFor('the Run/Cancel prompt', () => api.chat.waitingConfirmation, 30_000);
      assert.equal(waiting.sql, AGENT_SQL.monthly);
      assert.equal(api.chat.resolveConfirmation(waiting.queryId, true), true);
      const turn = await answering;
      assert.ok(turn);
      assert.equal(turn.mode, 'llm', turn.answer);
      assert.deepEqual(turn.steps?.map(s => `${s.name}:${s.status}`), ['list_tables:ok', 'describe_table:ok', 'execute_query:ok']);
      assert.equal(turn.steps![2].sql, AGENT_SQL.monthly);
      assert.equal(turn.sql, AGENT_SQL.monthly);
      assert.deepEqual(turn.result?.columns.map(c => c.name), ['revenue_month', 'net_revenue']);
      assert.equal(turn.result?.rows.length, 24);
      assert.match(turn.answer, /Net revenue per month/);
      assert.ok(!turn.answer.includes('```sql'), 'the SQL shows as its own block, not again in the text');
      assert.ok(!turn.answer.includes('| revenue_month |') && !turn.answer.includes('**Sources:**'), 'no markdown table or sources line: grid and chips show them');
      assert.equal(turn.answer, 'Net revenue per month is below: it grows over the two years, with a dip after the holiday months.', 'the model\'s words alone');
      assert.ok(turn.citations.some(c => /monthly_revenue/.test(c.path)), `cites the model: ${turn.citations.map(c => c.path).join(', ')}`);
    });

    it('a refused write shows as refused, and a declined query is reported and not run', async () => {
      const api = await deaApi();
      const answering = api.chat.ask('Which channels have the highest revenue?');
      const waiting = await waitFor('the prompt for the second query', () => api.chat.waitingConfirmation, 30_000);
      assert.equal(waiting.sql, AGENT_SQL.channels, 'the write was refused before anyone was asked');
      api.chat.resolveConfirmation(waiting.queryId, false);
      const turn = await answering;
      assert.ok(turn);
      assert.deepEqual(turn.steps?.map(s => `${s.name}:${s.status}`), ['execute_query:refused', 'execute_query:declined']);
      assert.match(turn.steps![0].detail ?? '', /Refused/);
      assert.match(turn.steps![1].detail ?? '', /declined/);
      assert.equal(turn.result, undefined, 'nothing ran');
      assert.match(turn.answer, /declined/);
      assert.equal(turn.steps![1].sql, AGENT_SQL.channels, 'the declined SQL shows in its step');
      assert.ok(!turn.answer.includes('```sql'), 'the chat text is the model\'s words and the note: no SQL block');
    });

    it('with read-only queries allowed, the agent runs without asking', async () => {
      const api = await deaApi();
      await config().update('sql.allowReadOnlyWithoutAsking', true, vscode.ConfigurationTarget.Global);
      try {
        const turn = await api.chat.ask('How many customers ordered?');
        assert.equal(turn?.steps?.[0]?.status, 'ok', JSON.stringify(turn?.steps));
        assert.equal(typeof turn?.result?.rows[0][0], 'number');
      } finally {
        await config().update('sql.allowReadOnlyWithoutAsking', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });
});
