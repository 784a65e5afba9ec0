// Copy a result as TSV and Export CSV, from the extension's own copy of the rows (never cell data sent by the view).
// The CSV is written only where the user chose in the save dialog.
import * as vscode from 'vscode';
import { toDelimited } from '../../../media/resultTable';
import type { ChatTurn, GridSort, ResultAction } from '../protocol';

export async function resultAction(turn: ChatTurn | undefined, action: ResultAction, sort?: GridSort): Promise<vscode.Uri | boolean> {
  if (!turn?.result) {
    void vscode.window.showInformationMessage('That result is no longer in the chat history: run the question or query again.');
    return false;
  }
  const valid = sort && sort.column < turn.result.columns.length ? sort : undefined;
  if (action === 'copyTsv') {
    await vscode.env.clipboard.writeText(toDelimited(turn.result, '\t', valid));
    return true;
  }
  const target = await vscode.window.showSaveDialog({
    title: 'Export the query result as CSV',
    saveLabel: 'Export CSV',
    defaultUri: defaultCsvUri(turn),
    filters: { 'CSV files': ['csv'], 'All files': ['*'] },
  });
  if (!target) return false;
  // A UTF-8 byte-order mark so spreadsheet apps read accents and symbols correctly.
  await vscode.workspace.fs.writeFile(target, Buffer.from(`\ufeff${toDelimited(turn.result, ',', valid)}`, 'utf8'));
  void vscode.window.showInformationMessage(`Exported ${turn.result.rows.length} row(s) to ${vscode.workspace.asRelativePath(target)}.`);
  return target;
}

function defaultCsvUri(turn: ChatTurn): vscode.Uri | undefined {
  const folder = (vscode.workspace.workspaceFolders?.find(f => f.uri.toString() === turn.folder) ?? vscode.workspace.workspaceFolders?.[0])?.uri;
  if (!folder) return undefined;
  const slug = turn.question.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'result';
  return vscode.Uri.joinPath(folder, `${slug}.csv`);
}
