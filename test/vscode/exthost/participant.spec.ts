import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { before, describe, it } from 'mocha';
import { handle, PARTICIPANT_ID } from '../../../src/extension/participant';
import { Log } from '../../../src/extension/log';
import { deaApi } from './helpers';

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
    const api = await deaApi();
    const { model, seen } = fakeModel(prompt => {
      const n = /<source n="(\d+)"[^>]*location="models\/staging/.exec(prompt)?.[1] ?? '1';
      return `fct_orders is built from the staging models [${n}].`;
    });
    const { stream, out } = fakeStream();
    const request = { prompt: 'What feeds fct_orders?', command: undefined, references: [], toolReferences: [], toolInvocationToken: undefined, model } as unknown as vscode.ChatRequest;
    const token = new vscode.CancellationTokenSource().token;
    const result = await handle(api.engines, new Log('DEA test'), request, stream, token);
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
    assert.match(lineage, /Upstream \(depth ≤ 1\)/);
    assert.match(lineage, /models\/(intermediate|staging)\//);
    assert.match(await text('dea_search', { query: 'customer lifetime value' }), /customer_lifetime_value/);
    assert.match(await text('dea_history', { model: 'fct_orders' }), /Document the grain of fct_orders/);
  });
});
