// Checks dea.warehouse.duckdbPath when it changes: a path that does not exist is reported at once (with where it
// points), instead of at the first question.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { resolveWarehouse } from '../../core/warehouse/open';
import type { Log } from '../log';
import { readSettings } from '../settings';

/** Absolute paths the setting points to in each folder that do not exist (empty setting: none). */
export function missingDuckDbPaths(): string[] {
  const missing: string[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const setting = readSettings(folder).duckdbPath;
    if (!setting) continue;
    const r = resolveWarehouse(folder.uri.fsPath, undefined, { duckdbPath: setting });
    if (r.source?.kind === 'duckdb' && !fs.existsSync(r.source.path)) missing.push(r.source.path);
  }
  return missing;
}

export function watchDuckDbPath(log: Log): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(e => {
    if (!e.affectsConfiguration('dea.warehouse.duckdbPath')) return;
    for (const p of missingDuckDbPaths()) {
      const message = `dea.warehouse.duckdbPath points to ${p}, which does not exist: fix the setting, or build the file (e.g. \`dbt build\`).`;
      log.warn(message);
      void vscode.window.showWarningMessage(message, 'Open Settings').then(a => {
        if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'dea.warehouse.duckdbPath');
      });
    }
  });
}
