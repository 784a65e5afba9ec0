// The YAML lens's target: a model's columns, documented or not, each opening its YAML entry.
import * as vscode from 'vscode';
import { columnDocs } from '../../core/workspace/columnDocs';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import { openFileAt, openNode } from '../navigate';
import { resolveNode } from '../nodeRef';

export async function showColumns(engines: WorkspaceEngines, arg?: unknown): Promise<void> {
  const r = await resolveNode(engines, arg, 'Show columns of');
  if (!r) return;
  const d = columnDocs(r.snap, r.node);
  const items = [
    ...r.node.columns.map(c => ({
      label: `${c.description?.trim() ? '$(check)' : '$(circle-large-outline)'} ${c.name}`,
      description: c.dataType ?? '',
      detail: c.description?.trim() || 'undocumented',
      open: () => c.location ? openFileAt(r.engine.folder, c.location.path, c.location.startLine, c.location.endLine) : openNode(r.engine.folder, r.node),
    })),
    ...d.warehouseOnly.map(name => ({ label: `$(database) ${name}`, description: 'warehouse only', detail: 'In the warehouse table but not in the YAML', open: () => openNode(r.engine.folder, r.node) })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Columns of ${r.node.name}: ${d.documented.length} documented, ${d.undocumented.length} undocumented${d.warehouseOnly.length ? `, ${d.warehouseOnly.length} warehouse-only` : ''}`,
    matchOnDetail: true,
  });
  if (picked) await picked.open();
}
