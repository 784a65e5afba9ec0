import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { before, describe, it } from 'mocha';
import { handle, PARTICIPANT_ID, type ParticipantDeps } from '../../../src/extension/participant';
import { Log } from '../../../src/extension/log';
import { AGENT_SQL } from '../harness/fakeLlm';
import { deaApi } from './helpers';
import { assertSameBytes, decide, workspaceBytes } from './editsHelpers';

async function deps(confirmQuery?: ParticipantDeps['confirmQuery']): Promise<ParticipantDeps> {
  const api = await deaApi();
  return { engines: api.engines, warehouses: api.warehouses, log: new Log('DEA test'), ...(confirmQuery ? { confirmQuery } : {}) };
}

/** One reply of the scripted agent model: tool calls, or the final words. */
type AgentReply = { calls: { name: string; input: object }[] } | { text: string };

/**
 * A vscode.lm model with tool calling, like Copilot's: it gets the tools with each request and answers by script,
 * given the tool results it has received so far (as LanguageModelToolResultParts, the way vscode.lm sends them).
 */
function fakeAgentModel(script: (toolResults: string[]) => AgentReply) {
  const requests: { tools: string[]; toolResults: string[] }[] = [];
  const model = {
    id: 'fake-agent', name: 'Fake Agent', vendor: 'test', family: 'fake', version: '1', maxInputTokens: 100_000,
    countTokens: async () => 1,
    sendRequest: async (messages: vscode.LanguageModelChatMessage[], options: vscode.LanguageModelChatRequestOptions) => {
      const toolResults = messages.flatMap(m => m.content).filter((p): p is vscode.LanguageModelToolResultPart => p instanceof vscode.LanguageModelToolResultPart)
        .map(p => p.content.map(c => (c instanceof vscode.LanguageModelTextPart ? c.value : '')).join(''));
      requests.push({ tools: (options.tools ?? []).map(t => t.name), toolResults });
      const reply = script(toolResults);
      const n = requests.length;
      async function* stream() {
        if ('text' in reply) for (let i = 0; i < reply.text.length; i += 7) yield new vscode.LanguageModelTextPart(reply.text.slice(i, i + 7));
        else for (const [i, c] of reply.calls.entries()) yield new vscode.LanguageModelToolCallPart(`call_${n}_${i}`, c.name, c.input);
      }
      return { stream: stream(), text: (async function* () { /* the agent reads `stream` */ })() };
    },
  };
  return { model: model as unknown as vscode.LanguageModelChat, requests };
}

function chatRequest(prompt: string, model: vscode.LanguageModelChat, command?: string): vscode.ChatRequest {
  return { prompt, command, references: [], toolReferences: [], toolInvocationToken: undefined, model } as unknown as vscode.ChatRequest;
}

/** A vscode.lm model that streams a scripted reply and records what it was sent. */
function fakeModel(reply: (prompt: string) => string) {
  const seen: string[] = [];
  const model = {
    id: 'fake', name: 'Fake Model', vendor: 'test', family: 'fake', version: '1', maxInputTokens: 100_000,
    countTokens: async () => 1,
    sendRequest: async (messages: vscode.LanguageModelChatMessage[]) => {
      const prompt = messages.map(m => m.content.map(p => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('')).join('\n');
      seen.push(prompt);
      const text = reply(prompt);
      async function* stream() { for (let i = 0; i < text.length; i += 5) yield new vscode.LanguageModelTextPart(text.slice(i, i + 5)); }
      return { stream: stream(), text: (async function* () { yield text; })() };
    },
  };
  return { model: model as unknown as vscode.LanguageModelChat, seen };
}

function fakeStream() {
  const out = { markdown: [] as string[], references: [] as (vscode.Uri | vscode.Location)[], progress: [] as string[] };
  const stream = {
    markdown: (v: string | vscode.MarkdownString) => { out.markdown.push(typeof v === 'string' ? v : v.value); },
    reference: (v: vscode.Uri | vscode.Location) => { out.references.push(v); },
    progress: (v: string) => { out.progress.push(v); },
    anchor: () => undefined, button: () => undefined, filetree: () => undefined, push: () => undefined,
  };
  return { stream: stream as unknown as vscode.ChatResponseStream, out };
}

describe('VS Code chat integration', () => {
  before(async () => { await deaApi(); });

  it('contributes and registers the @dea chat participant', async () => {
    const api = await deaApi();
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { chatParticipants: { id: string; name: string }[] } };
    assert.deepEqual(manifest.contributes.chatParticipants.map(p => p.name), ['dea']);
    assert.ok(api.participant, 'createChatParticipant failed in this host');
    assert.equal(api.participant.id, PARTICIPANT_ID);
    assert.ok(api.participant.followupProvider);
  });

  it('answers with request.model, grounded in numbered sources, with references to the cited files', async () => {
    const { model, seen } = fakeModel(prompt => {
      const n = /<source n="(\d+)"[^>]*location="models\/staging/.exec(prompt)?.[1] ?? '1';
      return `fct_orders is built from the staging models [${n}].`;
    });
    const { stream, out } = fakeStream();
    const token = new vscode.CancellationTokenSource().token;
    const result = await handle(await deps(), chatRequest('What feeds fct_orders?', model), stream, token);
    assert.equal(seen.length, 1);
    assert.match(seen[0], /<sources>[\s\S]*<source n="1"/);
    assert.match(out.markdown.join(''), /fct_orders is built from the staging models \[\d+\]\./);
    assert.ok(out.references.length >= 1, 'no references');
    const ref = out.references[0];
    assert.ok(ref instanceof vscode.Location);
    assert.match(ref.uri.fsPath, /models\/staging\/.*\.sql$/);
    assert.ok(fs.existsSync(ref.uri.fsPath));
    assert.equal(result.metadata.citations.length, out.references.length);
  });

  it('registers the search, lineage and history language-model tools, and they answer', async () => {
    await deaApi();
    const names = vscode.lm.tools.map(t => t.name);
    for (const n of ['dea_search', 'dea_lineage', 'dea_history']) assert.ok(names.includes(n), `${n} not registered: ${names.join(', ')}`);
    const text = async (name: string, input: object) => {
      const r = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
      return r.content.map(p => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    };
    const lineage = await text('dea_lineage', { model: 'fct_orders', depth: 1 });
    assert.match(lineage, /^fct_orders \(model, table \S+\.fct_orders\)/);
    assert.match(lineage, /upstream:\n\s+↑ \w+ \(model[^)]*\)\s+models\/(intermediate|staging)\//);
    assert.match(await text('dea_search', { query: 'customer lifetime value' }), /customer_lifetime_value/);
    assert.match(await text('dea_history', { model: 'fct_orders' }), /Document the grain of fct_orders/);
  });

  describe('analytical questions go to the analytics agent with request.model', () => {
    const words = 'Net revenue per month is in the table: it grows over the two years.';
    const monthly = (results: string[]): AgentReply => results.length === 0 ? { calls: [{ name: 'describe_table', input: { table: 'marts.monthly_revenue' } }] }
      : results.length === 1 ? { calls: [{ name: 'execute_query', input: { sql: AGENT_SQL.monthly } }] }
      : { text: /declined/i.test(results[1]) ? 'You declined the query, so there are no numbers.' : words };

    it('streams each tool call as progress, then the words, the SQL, the rows as a markdown table, and references', async () => {
      const { model, requests } = fakeAgentModel(monthly);
      const { stream, out } = fakeStream();
      const asked: string[] = [];
      const result = await handle(await deps(async sql => { asked.push(sql); return true; }), chatRequest('How much net revenue did we make per month?', model),
        stream, new vscode.CancellationTokenSource().token);
      // The model was offered the agent's tools through vscode.lm, and got the real rows back.
      assert.equal(requests.length, 3);
      for (const t of ['list_tables', 'describe_table', 'execute_query', 'search', 'lineage']) assert.ok(requests[0].tools.includes(t), `${t} not offered: ${requests[0].tools.join(', ')}`);
      assert.match(requests[1].toolResults[0], /net_revenue/, 'describe_table returned the real columns');
      assert.match(requests[2].toolResults[1], /24 rows in \d+ ms/, 'execute_query returned the rows');
      assert.deepEqual(asked, [AGENT_SQL.monthly], 'the query was confirmed before it ran');
      // Progress: one line per tool call, the query's with its SQL.
      assert.ok(out.progress.some(p => /warehouse .*shopwise\.duckdb/.test(p)), out.progress.join(' | '));
      assert.ok(out.progress.includes('describe_table (table: marts.monthly_revenue)'), out.progress.join(' | '));
      assert.ok(out.progress.includes(`execute_query: ${AGENT_SQL.monthly}`), out.progress.join(' | '));
      // The answer: the words, the SQL block, the rows as a markdown table (20 shown), the sources line.
      const md = out.markdown.join('');
      assert.ok(md.startsWith(words), md.slice(0, 200));
      assert.ok(md.includes(`\`\`\`sql\n${AGENT_SQL.monthly}\n\`\`\``), 'the SQL block');
      assert.match(md, /\*\*Result\*\* \(24 rows in \d+ ms\)\n\n\| revenue_month \| net_revenue \|\n\| --- \| ---: \|\n(\| [^\n]+ \|\n){20}… 4 more rows/);
      assert.match(md, /\*\*Sources:\*\* monthly_revenue \[1\]/);
      // References: the model's SQL file (and its YAML column entries), files that exist.
      assert.ok(out.references.length >= 1);
      const first = out.references[0];
      assert.ok(first instanceof vscode.Location);
      assert.match(first.uri.fsPath, /models\/marts\/finance\/monthly_revenue\.sql$/);
      assert.ok(out.references.every(r => fs.existsSync((r instanceof vscode.Location ? r.uri : r).fsPath)));
      assert.equal(result.metadata.citations.length, out.references.length);
    });

    it('a declined query does not run: the model is told, and the answer says so with the SQL marked not run', async () => {
      const { model, requests } = fakeAgentModel(monthly);
      const { stream, out } = fakeStream();
      await handle(await deps(async () => false), chatRequest('How much net revenue did we make per month?', model), stream, new vscode.CancellationTokenSource().token);
      assert.match(requests[2].toolResults[1], /NOT RUN: the user declined/);
      const md = out.markdown.join('');
      assert.match(md, /^You declined the query, so there are no numbers\./);
      assert.match(md, /_You declined the query: it did not run\._/);
      assert.match(md, /\*\*SQL \(not run\)\*\*/);
      assert.doesNotMatch(md, /\*\*Result\*\*/, 'no rows');
    });

    it('a slash command stays with the project answerer even when it sounds like a data question', async () => {
      const { model, seen } = fakeModel(() => 'The tests [1].');
      const { stream, out } = fakeStream();
      await handle(await deps(async () => { throw new Error('no query expected'); }), chatRequest('how many tests cover fct_orders per month', model, 'tests'), stream,
        new vscode.CancellationTokenSource().token);
      assert.equal(seen.length, 1);
      assert.match(seen[0], /<sources>/, 'the grounded project prompt, not the agent');
      assert.ok(!out.progress.some(p => /warehouse/.test(p)), out.progress.join(' | '));
    });
  });
});

describe('@dea slash commands that propose changes (/document, /gentests, /review)', function () {
  this.timeout(120_000);

  it('are contributed beside the question commands', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { chatParticipants: { commands: { name: string }[] }[] } };
    const names = manifest.contributes.chatParticipants[0].commands.map(c => c.name);
    for (const n of ['tests', 'document', 'gentests', 'review']) assert.ok(names.includes(n), `${n} missing from ${names.join(', ')}`);
  });

  it('/review lists the findings; /document opens the preview and a discard comes back as a rejection, nothing written', async () => {
    const api = await deaApi();
    const withEdits: ParticipantDeps = { ...(await deps()), edits: { actions: api.edits.actions, reviews: api.edits.reviews } };
    const { model, seen } = fakeModel(() => 'unused');
    const token = new vscode.CancellationTokenSource().token;
    const review = fakeStream();
    await handle(withEdits, chatRequest('int_customer_order_history', model, 'review'), review.stream, token);
    assert.match(review.out.markdown.join(''), /Review of `int_customer_order_history`/);

    const before = workspaceBytes();
    const doc = fakeStream();
    await decide(() => handle(withEdits, chatRequest('int_customer_order_history', model, 'document'), doc.stream, token), 'discard', { chat: true });
    assert.match(doc.out.markdown.join(''), /^\*\*Rejected: nothing was changed\.\*\*\n\nRejected "Document int_customer_order_history"/);
    assertSameBytes(before, 'after /document was discarded');
    assert.equal(seen.length, 0, 'the language model is not asked to make a change');

    const none = fakeStream();
    await handle(withEdits, chatRequest('', model, 'gentests'), none.stream, token);
    assert.match(none.out.markdown.join(''), /@dea \/gentests fct_orders/);
  });
});
