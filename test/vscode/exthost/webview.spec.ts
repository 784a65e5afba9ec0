import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { before, describe, it } from 'mocha';
import { chatHtml } from '../../../src/extension/chat/chatHtml';
import { deaApi, waitFor } from './helpers';

describe('chat webview view', () => {
  before(async () => { await deaApi(); });

  it('resolves when its container is opened, and its script runs under the CSP', async () => {
    const api = await deaApi();
    await vscode.commands.executeCommand('dea.chatView.focus');
    await waitFor('the chat view script to say ready', () => api.chatView.isReady, 20_000);
  });

  it('serves HTML with a strict nonce-based CSP and no remote resources', () => {
    const webview = { cspSource: 'https://webview.test', asWebviewUri: (u: vscode.Uri) => u.with({ scheme: 'https', authority: 'webview.test' }) } as unknown as vscode.Webview;
    const html = chatHtml(webview, vscode.Uri.file('/ext'));
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.ok(csp);
    assert.match(csp, /default-src 'none'/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
    for (const tag of html.match(/<script[^>]*>/g) ?? []) assert.match(tag, new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`));
    assert.ok(!/(src|href)="(https?:)?\/\/(?!webview\.test)/.test(html), 'remote resource');
    assert.notEqual(nonce, /script-src 'nonce-([^']+)'/.exec(chatHtml(webview, vscode.Uri.file('/ext')))?.[1], 'a fresh nonce per load');
  });

  it('persists the conversation per workspace and restores it into a reloaded view', async () => {
    const api = await deaApi();
    await api.chat.clear();
    const turn = await api.chat.ask('Which tests cover dim_customers?');
    assert.ok(turn && turn.citations.length > 0);
    const posted: unknown[] = [];
    api.chat.attach(m => posted.push(m)); // what a reloaded view receives
    const init = posted[0] as { type: string; turns: { id: string }[]; inputHistory: string[] };
    assert.equal(init.type, 'init');
    assert.deepEqual(init.turns.map(t => t.id), [turn.id]);
    assert.deepEqual(init.inputHistory, ['Which tests cover dim_customers?']);
    // Give the real view back its channel.
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    await vscode.commands.executeCommand('dea.chatView.focus');
  });
});
