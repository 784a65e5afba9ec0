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
  const start = new vscode.Position(range.start.line, 0);
  const end = startLine ? doc.lineAt(Math.min(range.end.line, doc.lineCount - 1)).range.end : start;
  const editor = await vscode.window.showTextDocument(doc, { selection: new vscode.Selection(start, start), preview: true });
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  // Highlight the cited lines without moving the cursor away from their start.
  if (startLine && endLine && endLine > startLine) editor.selection = new vscode.Selection(end, start);
  return true;
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
