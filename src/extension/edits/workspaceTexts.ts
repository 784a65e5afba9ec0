// The workspace's current text of a file, as the planners and the approval flow see it: a document with unsaved
// changes wins over the disk, so a plan is made — and checked for staleness — against what the user sees. A saved
// (clean) document is read from the disk: it is the same text, and after a change outside VS Code (git, a script)
// the disk is ahead of a document VS Code has not reloaded yet.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { ReadFile } from '../../core/edits/types';
import { uriOf } from '../paths';

/** The open document of a file, when VS Code has it loaded. */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find(d => !d.isClosed && d.uri.toString() === key);
}

/** Text of `uri`: an unsaved document's, else the file on disk (BOM stripped, as an editor shows it), else undefined. */
export async function currentText(uri: vscode.Uri): Promise<string | undefined> {
  const doc = openDocument(uri);
  if (doc?.isDirty || (doc && doc.isUntitled)) return doc.getText();
  try {
    return stripBom(await fs.readFile(uri.fsPath, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The planners' ReadFile for a workspace folder (paths are relative to it). */
export function workspaceReader(folder: vscode.WorkspaceFolder): ReadFile {
  return async rel => {
    const uri = uriOf(folder, rel);
    return uri ? currentText(uri) : undefined;
  };
}

/** Whether a file exists (on disk, or as an open document of a file not yet saved). */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  if (openDocument(uri)) return true;
  try {
    await fs.stat(uri.fsPath);
    return true;
  } catch {
    return false;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
