// "DEA: Test Warehouse Connection", "DEA: Set Warehouse Password" and "DEA: Run SQL (read-only)".
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { dbtTemplateProblem } from '../../core/sql/dbtTemplate';
import type { ChatController } from '../chat/chatController';
import type { ChatViewProvider } from '../chat/chatViewProvider';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import type { FolderEngine } from '../engines/folderEngine';
import type { Log } from '../log';
import type { ChatTurn } from '../protocol';
import type { WarehouseAccess } from './warehouseAccess';
import type { WarehouseSecretKind, WarehouseSecrets } from './warehouseSecrets';

export interface WarehouseTestResult {
  ok: boolean;
  message: string;
}

const NO_PROJECT = 'No dbt project is open: open a folder with a dbt_project.yml first.';

export async function testWarehouse(engines: WorkspaceEngines, access: WarehouseAccess): Promise<WarehouseTestResult> {
  const folder = engines.active();
  if (!folder) {
    void vscode.window.showWarningMessage(NO_PROJECT);
    return { ok: false, message: NO_PROJECT };
  }
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'DEA: testing the warehouse connection' }, () => access.test(folder));
  if (r.ok) {
    void vscode.window.showInformationMessage(`Warehouse connection OK: ${r.message}`);
    return r;
  }
  const auth = /password|passphrase|private key|authenticat|login|credential/i.test(r.message);
  const actions = [...(auth ? ['Set Warehouse Password'] : []), 'Open Settings'];
  void vscode.window.showErrorMessage(`Warehouse connection failed: ${r.message}`, ...actions).then(a => {
    if (a === 'Set Warehouse Password') void vscode.commands.executeCommand('dea.setWarehousePassword');
    else if (a === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'dea.warehouse');
  });
  return r;
}

const SECRET_LABEL: Record<WarehouseSecretKind, string> = { password: 'Snowflake password', privateKeyPassphrase: 'Private-key passphrase' };

/** Stores the Snowflake password or the private key's passphrase in SecretStorage (empty input removes it). */
export async function setWarehousePassword(secrets: WarehouseSecrets, log: Log, kindArg?: unknown, valueArg?: unknown): Promise<boolean> {
  const kind = kindArg === 'password' || kindArg === 'privateKeyPassphrase' ? kindArg : (await vscode.window.showQuickPick(
    (Object.keys(SECRET_LABEL) as WarehouseSecretKind[]).map(k => ({ label: SECRET_LABEL[k], secret: k,
      detail: k === 'password' ? 'For password authentication' : 'For key-pair authentication with an encrypted private key (private_key_path)' })),
    { title: 'Which warehouse secret?' }))?.secret;
  if (!kind) return false;
  const value = typeof valueArg === 'string' ? valueArg : await vscode.window.showInputBox({
    title: SECRET_LABEL[kind], password: true, ignoreFocusOut: true,
    prompt: 'Stored in the OS keychain (VS Code SecretStorage), never in settings or logs. Leave empty to remove the stored value.',
  });
  if (value === undefined) return false;
  if (!value) {
    await secrets.delete(kind);
    void vscode.window.showInformationMessage(`The stored ${SECRET_LABEL[kind].toLowerCase()} was removed.`);
    return true;
  }
  log.addSecret(value);
  await secrets.set(kind, value);
  void vscode.window.showInformationMessage(`${SECRET_LABEL[kind]} stored in SecretStorage. Run "DEA: Test Warehouse Connection" to check it.`);
  return true;
}

/** Runs the selection (or the whole SQL file, or a statement passed in) read-only; the result goes to the chat. */
export async function runSql(engines: WorkspaceEngines, access: WarehouseAccess, chat: ChatController, view: ChatViewProvider, arg?: unknown): Promise<ChatTurn | undefined> {
  const editor = vscode.window.activeTextEditor;
  const picked = typeof arg === 'string' ? { sql: arg, from: 'command' } : sqlFromEditor(editor);
  if (!picked) {
    void vscode.window.showInformationMessage('Select a SQL statement, or open a .sql file, then run "DEA: Run SQL (read-only)" again.');
    return undefined;
  }
  const folder: FolderEngine | undefined = (editor && typeof arg !== 'string' ? engines.forUri(editor.document.uri) : undefined) ?? engines.active();
  if (!folder) {
    void vscode.window.showWarningMessage(NO_PROJECT);
    return undefined;
  }
  const message = dbtTemplateProblem(picked.sql);
  if (message) {
    void vscode.window.showWarningMessage(message);
    return chat.addTurn(sqlTurn(picked, folder, { answer: message, mode: 'error', sql: picked.sql }));
  }
  await view.reveal();
  const run = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'DEA: running read-only SQL', cancellable: true }, (_p, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return access.runSql(folder, picked.sql, abort.signal);
  });
  if (run.ok) {
    return chat.addTurn(sqlTurn(picked, folder, { answer: `Ran on ${run.warehouse}.`, mode: 'sql', sql: run.statement, result: run.result }));
  }
  const where = run.warehouse ? ` on ${run.warehouse}` : '';
  const answer = run.refused ? `**Not run${where}.** ${run.message}` : `Could not run the query${where}: ${run.message}`;
  void vscode.window.showWarningMessage(run.refused ? `Query refused: ${run.message}` : `Query failed${where}: ${run.message}`);
  return chat.addTurn(sqlTurn(picked, folder, { answer, mode: 'error', sql: picked.sql }));
}

function sqlFromEditor(editor: vscode.TextEditor | undefined): { sql: string; from: string } | undefined {
  if (!editor) return undefined;
  const name = path.basename(editor.document.uri.path);
  const selected = editor.selections.filter(s => !s.isEmpty).map(s => editor.document.getText(s)).join('\n');
  if (selected.trim()) return { sql: selected, from: `selection in ${name}` };
  if (editor.document.languageId === 'sql' || /\.sql$/i.test(name)) {
    const text = editor.document.getText();
    return text.trim() ? { sql: text, from: name } : undefined;
  }
  return undefined;
}

function sqlTurn(picked: { sql: string; from: string }, folder: FolderEngine, a: Pick<ChatTurn, 'answer' | 'mode' | 'sql' | 'result'>): ChatTurn {
  const oneLine = picked.sql.replace(/\s+/g, ' ').trim();
  return {
    id: randomUUID(), question: `Run SQL (${picked.from}): ${oneLine.length > 120 ? `${oneLine.slice(0, 119)}…` : oneLine}`,
    citations: [], followUps: [], at: new Date().toISOString(), folder: folder.folder.uri.toString(), ...a,
  };
}
