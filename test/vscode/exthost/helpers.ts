// Shared helpers of the extension-host suites.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeaApi } from '../../../src/extension/api';

export const EXTENSION_ID = 'dea.data-engineering-agent';

export function workspaceDir(): string {
  const dir = process.env.DEA_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(dir, 'no test workspace');
  return dir;
}

export function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'no workspace folder open');
  return f;
}

export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), ...rel.split('/')));
}

let api: DeaApi | undefined;

/** The activated extension's API, after its first index finished. */
export async function deaApi(): Promise<DeaApi> {
  if (api) return api;
  const ext = vscode.extensions.getExtension<DeaApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in the host`);
  api = await ext.activate();
  await api.started;
  await api.engines.whenIdle();
  return api;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/** Runs a command that shows a quick pick, closes the pick, and returns the command's result. */
export async function runAndDismiss(command: string, ...args: unknown[]): Promise<unknown> {
  const running = vscode.commands.executeCommand(command, ...args);
  await new Promise(r => setTimeout(r, 600));
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  return running;
}

export async function openFile(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  return vscode.window.showTextDocument(doc);
}
