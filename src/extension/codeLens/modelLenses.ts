// Code lenses on dbt .sql files, from the in-memory snapshot only (never waits for the engine):
// lineage counts, tests, last change, Ask / Explain on models, snapshots and analyses; "used by" on macros.
import * as vscode from 'vscode';
import { lensContext } from './lensContext';
import type { DbtNode } from '../../core/types';
import type { WorkspaceSnapshot } from '../../core/workspace/snapshot';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import type { FolderEngine } from '../engines/folderEngine';
import { nodeRef } from '../nodeRef';
import { relativeTime } from './relativeTime';

const WITH_LINEAGE = new Set(['model', 'snapshot', 'analysis', 'seed']);

export class ModelLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly engines: WorkspaceEngines, readonly onDidChangeCodeLenses: vscode.Event<void>) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const ctx = lensContext(this.engines, doc);
    if (!ctx) return [];
    const { engine, snap, rel } = ctx;
    const nodes = snap.graph.nodes().filter(n => n.location?.path === rel && n.resourceType !== 'test');
    return nodes.flatMap(n => n.resourceType === 'macro' ? macroLens(snap, n) : WITH_LINEAGE.has(n.resourceType) ? nodeLenses(engine, snap, n, rel) : []);
  }
}

function at(node: DbtNode): vscode.Range {
  const line = Math.max(0, (node.location?.startLine ?? 1) - 1);
  return new vscode.Range(line, 0, line, 0);
}

function nodeLenses(engine: FolderEngine, snap: WorkspaceSnapshot, node: DbtNode, rel: string): vscode.CodeLens[] {
  const ref = nodeRef(engine, node);
  const range = at(node);
  const up = snap.graph.upstream(node.uniqueId, 1).length;
  const down = snap.graph.downstream(node.uniqueId, 1).length;
  const tests = snap.graph.testsCovering(node.uniqueId).length;
  const lenses = [
    new vscode.CodeLens(range, { title: `↑${up} upstream · ↓${down} downstream`, tooltip: `Lineage of ${node.name}`, command: 'dea.showLineage', arguments: [ref] }),
    new vscode.CodeLens(range, { title: tests ? `${tests} test${tests === 1 ? '' : 's'}` : 'no tests', tooltip: `Tests covering ${node.name}`, command: 'dea.showTests', arguments: [ref] }),
  ];
  const last = snap.history.fileChanges(rel)[0];
  if (last) {
    lenses.push(new vscode.CodeLens(range, {
      title: `${relativeTime(last.commit.date)} · ${last.commit.author}`,
      tooltip: `${last.commit.sha.slice(0, 7)} ${last.commit.subject} — open this change`,
      command: 'dea.openCommit', arguments: [engine.folder.uri.toString(), last.commit.sha, last.change.path],
    }));
  }
  lenses.push(
    new vscode.CodeLens(range, { title: 'Ask', tooltip: `Ask a question about ${node.name}`, command: 'dea.askAbout', arguments: [ref] }),
    new vscode.CodeLens(range, { title: 'Explain', tooltip: `Explain ${node.name} in the chat`, command: 'dea.explainModel', arguments: [ref] }),
  );
  return lenses;
}

function macroLens(snap: WorkspaceSnapshot, node: DbtNode): vscode.CodeLens[] {
  const users = snap.graph.macroUsers(`${node.project}.${node.name}`);
  const n = users.length;
  const title = n ? `used by ${n} node${n === 1 ? '' : 's'}` : 'not used by any model';
  const names = users.slice(0, 10).map(u => u.name).join(', ') + (n > 10 ? ', …' : '');
  return [new vscode.CodeLens(at(node), { title, tooltip: n ? names : `Nothing calls ${node.name}`, command: '' })];
}
