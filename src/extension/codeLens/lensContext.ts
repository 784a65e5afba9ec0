// What every code-lens provider needs first: the document's folder engine, its last snapshot and the document's
// workspace-relative path; undefined when lenses are off or the folder has not been indexed yet.
import type * as vscode from 'vscode';
import type { WorkspaceSnapshot } from '../../core/workspace/snapshot';
import type { FolderEngine } from '../engines/folderEngine';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import { relativePath } from '../paths';
import { readSettings } from '../settings';

export interface LensContext {
  engine: FolderEngine;
  snap: WorkspaceSnapshot;
  rel: string;
}

export function lensContext(engines: WorkspaceEngines, doc: vscode.TextDocument): LensContext | undefined {
  const engine = engines.forUri(doc.uri);
  const snap = engine?.snapshot;
  const rel = engine && relativePath(engine.folder, doc.uri);
  if (!engine || !snap || !rel || !readSettings(doc.uri).codeLensEnabled) return undefined;
  return { engine, snap, rel };
}
