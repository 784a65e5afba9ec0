// Approvable actions from the sidebar chat, through its real message path (ChatViewProvider.receive, as the webview
// posts them): an answer about a model carries its action buttons; a button's `proposeEdit` opens VS Code's real
// Refactor Preview; discarding adds a rejection turn and leaves every byte as it was; applying adds an "Applied" turn
// and writes exactly the planned change; a typed "document <model>" goes the same way.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { after, afterEach, before, describe, it } from 'mocha';
import type { ChatTurn } from '../../../src/extension/protocol';
import { deaApi } from './helpers';
import { assertSameBytes, assertWroteExactly, changedPaths, decide, restoreBytes, workspaceBytes } from './editsHelpers';

const MODEL = 'int_customer_order_history';
const MODEL_ID = `model.shopwise.${MODEL}`;
const INT_YML = 'models/intermediate/_intermediate__models.yml';

/** The turns added to the chat since `count`. */
async function turnsSince(count: number): Promise<ChatTurn[]> {
  return (await deaApi()).chat.turns().slice(count);
}

describe('approvable actions from the sidebar chat', function () {
  this.timeout(120_000);
  let original: Map<string, Buffer>;

  before(async () => {
    original = workspaceBytes();
    await (await deaApi()).chat.clear();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await restoreBytes(original);
    await vscode.commands.executeCommand('dea.reindex');
    await (await deaApi()).engines.whenIdle();
  });

  after(async () => { await (await deaApi()).chat.clear(); });

  it('an answer about a model carries its action buttons (Document, tests, Review, Rename; Optimize only with a language model)', async () => {
    const api = await deaApi();
    const turn = await api.chat.ask(`what does ${MODEL} compute?`);
    assert.ok(turn, 'the question was answered');
    assert.equal(turn.citations[0]?.nodeId, MODEL_ID, `first citation: ${JSON.stringify(turn.citations[0])}`);
    assert.deepEqual(turn.edits, { node: MODEL_ID, name: MODEL, resourceType: 'model' }, 'no Optimize without a language model');
    // A change request is not a question: its turn has no buttons and no follow-ups of its own.
    const review = await api.chat.ask(`review ${MODEL}`);
    assert.ok(review);
    assert.match(review.answer, new RegExp(`Review of \`${MODEL}\``));
    assert.equal(review.edits, undefined);
    assert.deepEqual(review.followUps, []);
  });

  it('proposeEdit, discarded in the preview: a rejection turn, and every file byte-identical', async () => {
    const api = await deaApi();
    const asked = await api.chat.ask(`what does ${MODEL} compute?`);
    assert.ok(asked?.edits);
    const count = api.chat.turns().length;
    const before = workspaceBytes();
    const d = await decide(() => api.chatView.receive({ type: 'proposeEdit', turnId: asked.id, kind: 'document', target: { node: asked.edits!.node } }), 'discard', { chat: true });
    assert.deepEqual(changedPaths(before, d.whileOpen), [], 'nothing written while the preview waited');
    const [turn, ...more] = await turnsSince(count);
    assert.equal(more.length, 0, 'one turn for the outcome');
    assert.equal(turn.question, `Document ${MODEL}`);
    assert.match(turn.answer, /^\*\*Rejected: nothing was changed\.\*\*/);
    assert.match(turn.answer, new RegExp(`Rejected "Document ${MODEL}": nothing was changed`));
    assert.equal(turn.folder, asked.folder, 'the action ran in the folder that answered');
    assertSameBytes(before, 'after discarding from the chat');
  });

  it('proposeEdit, approved in the preview: an "Applied" turn, and the YAML changed exactly as planned', async () => {
    const api = await deaApi();
    const asked = await api.chat.ask(`what does ${MODEL} compute?`);
    assert.ok(asked?.edits);
    const before = workspaceBytes();
    const planned = await api.edits.actions.plan('document', { node: MODEL_ID });
    assert.deepEqual([...new Set(planned.plan.changes.map(c => c.path))], [INT_YML], 'the plan edits the folder\'s YAML only');
    const count = api.chat.turns().length;
    await decide(() => api.chatView.receive({ type: 'proposeEdit', turnId: asked.id, kind: 'document', target: { node: MODEL_ID } }), 'apply', { chat: true, files: 1 });
    const [turn] = await turnsSince(count);
    assert.match(turn.answer, new RegExp(`^\\*\\*Applied:\\*\\* Document ${MODEL}`));
    assertWroteExactly(planned.plan, before);
  });

  it('a typed "document <model>" goes the same way: previewed, discarded → rejection; approved → applied exactly', async () => {
    const api = await deaApi();
    const before = workspaceBytes();
    let count = api.chat.turns().length;
    await decide(() => api.chatView.receive({ type: 'ask', question: `document ${MODEL}` }), 'discard', { chat: true });
    let [turn] = await turnsSince(count);
    assert.equal(turn.question, `document ${MODEL}`);
    assert.match(turn.answer, /^\*\*Rejected: nothing was changed\.\*\*/);
    assertSameBytes(before, 'after discarding a typed request');

    const planned = await api.edits.actions.plan('document', { node: MODEL });
    count = api.chat.turns().length;
    await decide(() => api.chatView.receive({ type: 'ask', question: `document ${MODEL}` }), 'apply', { chat: true, files: 1 });
    [turn] = await turnsSince(count);
    assert.match(turn.answer, /^\*\*Applied:\*\*/);
    assertWroteExactly(planned.plan, before);
  });

  it('a button message the protocol does not know is dropped: no turn, no change', async () => {
    const api = await deaApi();
    const count = api.chat.turns().length;
    const before = workspaceBytes();
    await api.chatView.receive({ type: 'proposeEdit', turnId: 'x', kind: 'paint', target: { node: MODEL_ID } });
    assert.equal(api.chat.turns().length, count);
    assertSameBytes(before, 'after an unknown action');
  });
});
