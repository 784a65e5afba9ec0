import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { ChatTurn } from '../../../src/extension/protocol';
import type { ConnectionResult } from '../../../src/extension/commands/modelCommands';
import { startFakeOpenAi, type FakeOpenAi } from '../../support/openai-server';
import { deaApi, folder, openFile, runAndDismiss, waitFor } from './helpers';

const MODEL = 'models/marts/core/fct_orders.sql';

interface Manifest { contributes: { commands: { command: string }[] } }

describe('commands', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as Manifest;
  const ref = () => ({ folder: folder().uri.toString(), nodeId: 'model.shopwise.fct_orders' });

  before(async () => { await deaApi(); });

  it('registers every command the manifest contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map(c => c.command).filter(c => !registered.has(c));
    assert.deepEqual(missing, []);
    assert.ok(manifest.contributes.commands.length >= 14);
  });

  it('Ask answers in the chat with citations (offline, no model configured)', async () => {
    const turn = await vscode.commands.executeCommand<ChatTurn>('dea.ask', 'What feeds fct_orders?');
    assert.ok(turn, 'no answer');
    assert.equal(turn.mode, 'offline');
    assert.ok(turn.citations.length >= 1, 'no citations');
    assert.ok(turn.citations.some(c => /stg_|int_/.test(c.path)), `upstream models cited: ${turn.citations.map(c => c.path).join(', ')}`);
    assert.ok(turn.followUps.length > 0);
    const api = await deaApi();
    assert.equal(api.chatView.isReady, true, 'Ask revealed the chat view and its script is running');
  });

  it('Explain current model explains the model of the active editor', async () => {
    await openFile(MODEL);
    const turn = await vscode.commands.executeCommand<ChatTurn>('dea.explainModel');
    assert.ok(turn);
    assert.match(turn.question, /fct_orders/);
    assert.match(turn.answer, /fct_orders/);
    assert.ok(turn.citations.some(c => c.path === MODEL));
  });

  it('lineage, history, tests and columns pickers open for the current model and close cleanly', async () => {
    await openFile(MODEL);
    for (const id of ['dea.showLineage', 'dea.showHistory', 'dea.showTests', 'dea.showColumns']) {
      await runAndDismiss(id);
      await runAndDismiss(id, ref());
    }
  });

  it('Reindex refreshes every folder', async () => {
    const api = await deaApi();
    const before = api.engines.all()[0].lastRefresh;
    await vscode.commands.executeCommand('dea.reindex');
    const after = api.engines.all()[0].lastRefresh;
    assert.ok(after && after !== before);
    assert.equal(api.engines.all()[0].state, 'ready');
    assert.equal(after.embedded, 0, 'nothing changed: nothing re-embedded');
  });

  it('Show index diagnostics opens a document with projects, documents, model and warehouse status', async () => {
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('dea.showDiagnostics');
    assert.ok(doc);
    const text = doc.getText();
    for (const want of ['shopwise', 'documents:', 'Language model', 'offline answers', 'warehouse:', 'git history: 2 commits', 'Last errors']) {
      assert.ok(text.includes(want), `diagnostics lack "${want}"`);
    }
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'dea-diagnostics');
  });

  it('Open citation opens the file at the cited lines', async () => {
    await vscode.commands.executeCommand('dea.openCitation', { path: MODEL, startLine: 3, endLine: 5, kind: 'model' });
    const ed = vscode.window.activeTextEditor;
    assert.ok(ed);
    assert.equal(path.basename(ed.document.uri.fsPath), 'fct_orders.sql');
    assert.equal(ed.selection.active.line, 2, 'the cursor is on the first cited line');
    assert.ok(ed.visibleRanges.some(r => r.start.line <= 2 && r.end.line >= 4), 'the cited lines are visible');
  });

  it('Open commit shows that commit\'s change to the file, read-only', async () => {
    const head = process.env.DEA_TEST_HEAD!;
    await vscode.commands.executeCommand('dea.openCommit', folder().uri.toString(), head, MODEL);
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc);
    assert.equal(doc.uri.scheme, 'dea-commit');
    const text = doc.getText();
    assert.match(text, new RegExp(`commit ${head}`));
    assert.match(text, /Document the grain of fct_orders/);
    assert.match(text, /\+-- grain: one row per order/);
  });

  describe('language model commands', () => {
    let fake: FakeOpenAi;
    before(async () => {
      fake = await startFakeOpenAi(body => (body.model === 'denied-model' ? { status: 401 } : { content: 'OK' }));
    });
    after(async () => {
      const c = vscode.workspace.getConfiguration('dea');
      for (const k of ['llm.provider', 'openai.baseUrl', 'openai.model']) await c.update(k, undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('dea.setApiKey', '');
      await fake.close();
    });

    it('Choose language model shows its picker', async () => {
      await runAndDismiss('dea.chooseModel');
    });

    it('asking for VS Code models where there are none reports the model unavailable and answers offline', async () => {
      const api = await deaApi();
      await vscode.workspace.getConfiguration('dea').update('llm.provider', 'vscode-lm', vscode.ConfigurationTarget.Global);
      await waitFor('the vscode-lm problem', () => api.models.current.problem);
      assert.match(api.models.current.problem!, /no VS Code language model is available/);
      const diag = (await vscode.commands.executeCommand<vscode.TextDocument>('dea.showDiagnostics')).getText();
      assert.match(diag, /\*\*model unavailable\*\* — no VS Code language model/);
      const turn = await vscode.commands.executeCommand<ChatTurn>('dea.ask', 'Which tests cover fct_orders?');
      assert.equal(turn?.mode, 'offline');
      await vscode.workspace.getConfiguration('dea').update('llm.provider', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('the problem to clear', () => !api.models.current.problem);
    });

    it('Test LLM connection says there is no model when none is configured', async () => {
      const r = await vscode.commands.executeCommand<ConnectionResult>('dea.testConnection');
      assert.equal(r.ok, false);
      assert.match(r.message, /No language model is configured/);
    });

    it('Set API key stores it in SecretStorage, the endpoint answers, and settings and diagnostics never show it', async () => {
      const key = 'sk-test-secret-0123456789abcdef';
      assert.equal(await vscode.commands.executeCommand('dea.setApiKey', key), true);
      const c = vscode.workspace.getConfiguration('dea');
      await c.update('openai.baseUrl', fake.url, vscode.ConfigurationTarget.Global);
      await c.update('openai.model', 'fake-model', vscode.ConfigurationTarget.Global);
      await c.update('llm.provider', 'openai', vscode.ConfigurationTarget.Global);
      const api = await deaApi();
      await waitFor('the openai model', () => api.models.current.model?.id.startsWith('openai:fake-model'));
      const r = await vscode.commands.executeCommand<ConnectionResult>('dea.testConnection');
      assert.equal(r.ok, true, r.message);
      assert.match(r.message, /answered in \d+ ms: "OK"/);
      const last = fake.requests.at(-1)!;
      assert.equal(last.headers.authorization, `Bearer ${key}`, 'the stored key reached the endpoint');
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('dea')).includes(key), 'the key is not in the settings');
      const diag = (await vscode.commands.executeCommand<vscode.TextDocument>('dea.showDiagnostics')).getText();
      assert.ok(!diag.includes(key));
      assert.match(diag.slice(diag.indexOf('## Language model'), diag.indexOf('## Folder')), /openai:fake-model@127\.0\.0\.1/);
    });

    it('a new API key reaches the chat\'s model without a reload', async () => {
      const key2 = 'sk-test-second-key-9876543210';
      await vscode.commands.executeCommand('dea.setApiKey', key2);
      const api = await deaApi();
      await waitFor('a model resolved after the key change', async () => (await api.models.refresh('test')).model);
      const turn = await vscode.commands.executeCommand<ChatTurn>('dea.ask', 'What feeds fct_orders?');
      assert.equal(turn?.mode, 'llm');
      assert.equal(fake.requests.at(-1)!.headers.authorization, `Bearer ${key2}`);
    });

    it('a failing endpoint gives a message naming the host and the reason', async () => {
      const api = await deaApi();
      await vscode.workspace.getConfiguration('dea').update('openai.model', 'denied-model', vscode.ConfigurationTarget.Global);
      await waitFor('the denied model', () => api.models.current.model?.id.startsWith('openai:denied-model'));
      const r = await vscode.commands.executeCommand<ConnectionResult>('dea.testConnection');
      assert.equal(r.ok, false);
      assert.match(r.message, new RegExp(`127\\.0\\.0\\.1:${new URL(fake.url).port}`));
      assert.match(r.message, /401/);
    });

    it('a chat answer falls back to offline with a note when the model fails', async () => {
      const turn = await vscode.commands.executeCommand<ChatTurn>('dea.ask', 'What feeds fct_orders?');
      assert.ok(turn);
      assert.match(turn.answer, /answered 401/);
      assert.match(turn.answer, /Answered offline/);
      assert.ok(turn.citations.length > 0);
    });
  });

  it('Clear chat history empties the persisted conversation', async () => {
    const api = await deaApi();
    assert.ok(api.chat.turns().length > 0, 'earlier tests asked questions');
    await vscode.commands.executeCommand('dea.clearChat');
    assert.equal(api.chat.turns().length, 0);
  });

  it('Open chat and Show log run', async () => {
    await vscode.commands.executeCommand('dea.openChat');
    await vscode.commands.executeCommand('dea.showLog');
    assert.equal((await deaApi()).chatView.isReady, true);
  });
});
