// Workspace-relative posix paths (the engine's) ↔ VS Code URIs.
import * as path from 'node:path';
import * as vscode from 'vscode';

export function relativePath(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== 'file') return undefined;
  const rel = path.relative(folder.uri.fsPath, uri.fsPath);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** The URI of a workspace-relative path; undefined when the path would leave the folder. */
export function uriOf(folder: vscode.WorkspaceFolder, rel: string): vscode.Uri | undefined {
  const parts = rel.replace(/\\/g, '/').split('/').filter(p => p && p !== '.');
  if (!parts.length || parts.includes('..')) return undefined;
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

/** A 1-based inclusive line range as a VS Code range (whole lines). */
export function lineRange(startLine?: number, endLine?: number): vscode.Range {
  const start = Math.max(0, (startLine ?? 1) - 1);
  const end = Math.max(start, (endLine ?? startLine ?? 1) - 1);
  return new vscode.Range(start, 0, end, Number.MAX_SAFE_INTEGER);
}
