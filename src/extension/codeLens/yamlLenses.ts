// Code lenses on YAML model/source/seed/snapshot entries: documented vs undocumented columns, and columns the
// warehouse has that the YAML does not. From the in-memory snapshot only.
import * as vscode from 'vscode';
import { lensContext } from './lensContext';
import { columnDocs, DOCUMENTED_TYPES, yamlEntry } from '../../core/workspace/columnDocs';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import { nodeRef } from '../nodeRef';

export class YamlLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly engines: WorkspaceEngines, readonly onDidChangeCodeLenses: vscode.Event<void>) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const ctx = lensContext(this.engines, doc);
    if (!ctx) return [];
    const { engine, snap, rel } = ctx;
    return snap.graph.nodes()
      .filter(n => yamlEntry(n)?.path === rel && DOCUMENTED_TYPES.has(n.resourceType))
      .map(n => {
        const d = columnDocs(snap, n);
        const total = d.documented.length + d.undocumented.length;
        const parts = [total ? `${d.documented.length}/${total} columns documented` : 'no columns listed'];
        if (d.undocumented.length) parts.push(`${d.undocumented.length} undocumented`);
        if (d.warehouseOnly.length) parts.push(`${d.warehouseOnly.length} in warehouse, not in YAML`);
        if (!n.description?.trim()) parts.push('no description');
        const tooltip = [
          d.undocumented.length ? `Undocumented: ${d.undocumented.join(', ')}` : 'Every listed column has a description.',
          ...(d.warehouseOnly.length ? [`In the warehouse only: ${d.warehouseOnly.join(', ')}`] : []),
        ].join('\n');
        const line = Math.max(0, yamlEntry(n)!.startLine - 1);
        return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: parts.join(' · '), tooltip, command: 'dea.showColumns', arguments: [nodeRef(engine, n)] });
      });
  }
}
