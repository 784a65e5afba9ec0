// "Document" and "Generate Tests" code lenses on model .sql files and YAML entries — only where something is
// undocumented (no description, a column without one, a warehouse column missing from the YAML, or no YAML entry at
// all) or untested (no test covers the node). From the in-memory snapshot only; the action plans when clicked.
import * as vscode from 'vscode';
import { lensContext } from '../codeLens/lensContext';
import { columnDocs, DOCUMENTED_TYPES, yamlEntry } from '../../core/workspace/columnDocs';
import type { DbtNode } from '../../core/types';
import type { WorkspaceSnapshot } from '../../core/workspace/snapshot';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import { nodeRef } from '../nodeRef';

export class EditLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly engines: WorkspaceEngines, readonly onDidChangeCodeLenses: vscode.Event<void>) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const ctx = lensContext(this.engines, doc);
    if (!ctx) return [];
    const { engine, snap, rel } = ctx;
    const yaml = /\.ya?ml$/i.test(rel);
    const out: vscode.CodeLens[] = [];
    for (const n of snap.graph.nodes()) {
      if (!DOCUMENTED_TYPES.has(n.resourceType)) continue;
      const at = yaml ? yamlEntry(n) : n.location?.path.endsWith('.sql') ? n.location : undefined;
      if (at?.path !== rel) continue;
      const line = Math.max(0, at.startLine - 1);
      const range = new vscode.Range(line, 0, line, 0);
      const ref = nodeRef(engine, n);
      const gap = undocumented(snap, n);
      if (gap) out.push(new vscode.CodeLens(range, { title: '$(book) Document', tooltip: `Propose documentation for ${n.name}: ${gap}`, command: 'dea.documentModel', arguments: [ref] }));
      if (!snap.graph.testsCovering(n.uniqueId).length) {
        out.push(new vscode.CodeLens(range, { title: '$(beaker) Generate Tests', tooltip: `No test covers ${n.name}: propose tests inferred from the data`, command: 'dea.generateTests', arguments: [ref] }));
      }
    }
    return out;
  }
}

/** What is missing from a node's documentation, in words; undefined when nothing is. */
export function undocumented(snap: WorkspaceSnapshot, n: DbtNode): string | undefined {
  if (!yamlEntry(n)) return 'it has no YAML entry';
  const d = columnDocs(snap, n);
  const gaps = [
    ...(n.description?.trim() ? [] : ['no description']),
    ...(d.undocumented.length ? [`${d.undocumented.length} column${d.undocumented.length === 1 ? '' : 's'} without a description`] : []),
    ...(d.warehouseOnly.length ? [`${d.warehouseOnly.length} warehouse column${d.warehouseOnly.length === 1 ? '' : 's'} not in the YAML`] : []),
  ];
  return gaps.length ? gaps.join(', ') : undefined;
}
