// How commands name a dbt node across the command boundary (code lenses, tools): its folder and unique_id.
import * as vscode from 'vscode';
import type { DbtNode } from '../core/types';
import { nodeAt } from '../core/workspace/nodeAt';
import type { WorkspaceSnapshot } from '../core/workspace/snapshot';
import type { WorkspaceEngines } from './engines/workspaceEngines';
import type { FolderEngine } from './engines/folderEngine';
import { relativePath } from './paths';

export interface NodeRef {
  folder: string;
  nodeId: string;
}

export interface ResolvedNode {
  engine: FolderEngine;
  snap: WorkspaceSnapshot;
  node: DbtNode;
}

export function isNodeRef(v: unknown): v is NodeRef {
  return typeof v === 'object' && v !== null && typeof (v as NodeRef).folder === 'string' && typeof (v as NodeRef).nodeId === 'string';
}

export function nodeRef(engine: FolderEngine, node: DbtNode): NodeRef {
  return { folder: engine.folder.uri.toString(), nodeId: node.uniqueId };
}

async function snapshotOf(engine: FolderEngine): Promise<WorkspaceSnapshot | undefined> {
  if (engine.snapshot) return engine.snapshot;
  const e = await engine.get();
  return e ? e.snapshot() : undefined;
}

/**
 * The node a command is about: the one passed (code lens), else the active editor's model (its .sql file, or the
 * YAML entry under the cursor), else one the user picks.
 */
export async function resolveNode(engines: WorkspaceEngines, arg: unknown, what: string): Promise<ResolvedNode | undefined> {
  if (isNodeRef(arg)) {
    const engine = engines.all().find(e => e.folder.uri.toString() === arg.folder);
    const snap = engine && await snapshotOf(engine);
    const node = snap?.graph.get(arg.nodeId);
    if (engine && snap && node) return { engine, snap, node };
  }
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const engine = engines.forUri(editor.document.uri);
    const snap = engine && await snapshotOf(engine);
    const rel = engine && relativePath(engine.folder, editor.document.uri);
    if (engine && snap && rel) {
      const node = nodeAt(snap, rel, editor.selection.active.line + 1);
      if (node) return { engine, snap, node };
    }
  }
  return pickNode(engines, what);
}

async function pickNode(engines: WorkspaceEngines, what: string): Promise<ResolvedNode | undefined> {
  const items: (vscode.QuickPickItem & { r: ResolvedNode })[] = [];
  for (const engine of engines.all()) {
    const snap = await snapshotOf(engine);
    for (const node of snap?.graph.nodes() ?? []) {
      if (!['model', 'seed', 'snapshot', 'source'].includes(node.resourceType)) continue;
      items.push({ label: node.name, description: `${node.resourceType}${engines.all().length > 1 ? ` · ${engine.folder.name}` : ''}`, detail: node.location?.path ?? node.yamlLocation?.path, r: { engine, snap: snap!, node } });
    }
  }
  if (!items.length) {
    void vscode.window.showInformationMessage('No dbt models are indexed yet: open a dbt project folder and wait for indexing to finish.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: what, placeHolder: 'The active editor is not a dbt model: pick one', matchOnDetail: true });
  return picked?.r;
}
