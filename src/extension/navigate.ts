// Opening what answers and lenses point at: a file at its cited lines, a commit's change, a dbt node's file.
import * as vscode from 'vscode';
import type { Citation, DbtNode } from '../core/types';
import { commitUri } from './commitDocument';
import { lineRange, uriOf } from './paths';

/** Opens a citation in the first workspace folder (preferred one first) that has its file. */
export async function openCitation(c: Citation, preferred?: vscode.WorkspaceFolder): Promise<boolean> {
  // A commit's change can be shown even when the file is gone from the working tree.
  const folder = await folderHolding(c.path, preferred) ?? (c.commit ? preferred ?? vscode.workspace.workspaceFolders?.[0] : undefined);
  if (!folder) {
    void vscode.window.showWarningMessage(`The cited file ${c.path} is not in this workspace (moved or deleted since it was indexed?).`);
    return false;
  }
  if (c.commit) return openCommit(folder, c.commit, c.path);
  return openFileAt(folder, c.path, c.startLine, c.endLine);
}

export async function openFileAt(folder: vscode.WorkspaceFolder, rel: string, startLine?: number, endLine?: number): Promise<boolean> {
  const uri = uriOf(folder, rel);
  if (!uri) return false;
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = lineRange(startLine, endLine);
  const start = new vscode.Position(Math.min(range.start.line, doc.lineCount - 1), 0);
  const end = doc.lineAt(Math.min(range.end.line, doc.lineCount - 1)).range.end;
  const editor = await vscode.window.showTextDocument(doc, { selection: new vscode.Selection(start, start), preview: true });
  // Short ranges centred, long ones (a whole model) from their first line.
  editor.revealRange(new vscode.Range(start, end), end.line - start.line > 20 ? vscode.TextEditorRevealType.AtTop : vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  if (startLine) highlight(editor, new vscode.Range(start, end));
  return true;
}

let citedLines: vscode.TextEditorDecorationType | undefined;

/** Marks the cited lines until the cursor moves or a few seconds pass (a selection of a whole file would be noise). */
function highlight(editor: vscode.TextEditor, range: vscode.Range): void {
  citedLines ??= vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    overviewRulerLane: vscode.OverviewRulerLane.Full,
  });
  const type = citedLines;
  editor.setDecorations(type, [range]);
  let done = false;
  const clear = () => { if (done) return; done = true; editor.setDecorations(type, []); sub.dispose(); clearTimeout(timer); };
  const sub = vscode.window.onDidChangeTextEditorSelection(e => { if (e.textEditor === editor && e.kind !== undefined) clear(); });
  const timer = setTimeout(clear, 8000);
}

export async function openCommit(folder: vscode.WorkspaceFolder, sha: string, rel?: string): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(commitUri(folder, sha, rel));
  await vscode.languages.setTextDocumentLanguage(doc, 'diff');
  await vscode.window.showTextDocument(doc, { preview: true });
  return true;
}

export async function openNode(folder: vscode.WorkspaceFolder, node: DbtNode): Promise<boolean> {
  const loc = node.location ?? node.yamlLocation;
  if (!loc) {
    void vscode.window.showInformationMessage(`${node.name} has no file in this workspace (it comes from a package or the manifest).`);
    return false;
  }
  return openFileAt(folder, loc.path, loc.startLine, loc.endLine);
}

async function folderHolding(rel: string, preferred?: vscode.WorkspaceFolder): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = [...(preferred ? [preferred] : []), ...(vscode.workspace.workspaceFolders ?? []).filter(f => f !== preferred)];
  for (const f of folders) {
    const uri = uriOf(f, rel);
    if (!uri) continue;
    try { await vscode.workspace.fs.stat(uri); return f; } catch { /* not in this folder */ }
  }
  return undefined;
}
