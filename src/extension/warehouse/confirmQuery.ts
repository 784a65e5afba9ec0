// The modal "Run this read-only query?" dialog, showing the SQL: for model-proposed queries when no chat view can
// ask inline (the sidebar chat is hidden, VS Code's own chat, agent-mode tools called without confirmation).
import * as vscode from 'vscode';

export async function confirmQueryModal(sql: string, warehouse: string): Promise<boolean> {
  const run = 'Run query';
  return (await vscode.window.showWarningMessage(`Run this read-only query on ${warehouse}?`, { modal: true, detail: sql }, run)) === run;
}
