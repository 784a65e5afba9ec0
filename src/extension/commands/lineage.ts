// "Show lineage of the current model": a quick pick of parents and children, depth-limited (setting, ±1 per click),
// each entry opening its file.
import * as vscode from 'vscode';
import type { LineageHit } from '../../core/dbt/graph';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import { openNode } from '../navigate';
import { resolveNode, type ResolvedNode } from '../nodeRef';
import { readSettings } from '../settings';

type Item = vscode.QuickPickItem & { hit?: LineageHit; deeper?: boolean };

export async function showLineage(engines: WorkspaceEngines, arg?: unknown): Promise<void> {
  const r = await resolveNode(engines, arg, 'Show lineage of');
  if (!r) return;
  let depth = readSettings(r.engine.folder).lineageDepth;
  const qp = vscode.window.createQuickPick<Item>();
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const render = () => {
    const { items, truncated } = lineageItems(r, depth);
    qp.title = `Lineage of ${r.node.name} (depth ${depth})`;
    qp.placeholder = items.some(i => i.hit) ? 'Pick a node to open it' : `${r.node.name} has no parents or children`;
    qp.items = truncated ? [...items, { label: `$(add) Show one more level (depth ${depth + 1})`, deeper: true, alwaysShow: true }] : items;
  };
  render();
  const done = new Promise<void>(resolve => {
    qp.onDidAccept(() => {
      const picked = qp.selectedItems[0];
      if (picked?.deeper) { depth++; render(); return; }
      if (picked?.hit) void openNode(r.engine.folder, picked.hit.node);
      qp.hide();
    });
    qp.onDidHide(() => { qp.dispose(); resolve(); });
  });
  qp.show();
  await done;
}

/** Upstream then downstream, nearest first; `truncated` when a deeper level exists. */
export function lineageItems(r: ResolvedNode, depth: number): { items: Item[]; truncated: boolean } {
  const up = r.snap.graph.upstream(r.node.uniqueId, depth);
  const down = r.snap.graph.downstream(r.node.uniqueId, depth);
  const deeper = r.snap.graph.upstream(r.node.uniqueId, depth + 1).length > up.length || r.snap.graph.downstream(r.node.uniqueId, depth + 1).length > down.length;
  const item = (h: LineageHit, arrow: string): Item => ({
    label: `${'  '.repeat(h.depth - 1)}$(${arrow}) ${h.node.name}`,
    description: `${h.node.resourceType} · ${h.depth === 1 ? 'direct' : `${h.depth} levels`}`,
    detail: h.node.location?.path ?? h.node.yamlLocation?.path,
    hit: h,
  });
  const sep = (label: string): Item => ({ label, kind: vscode.QuickPickItemKind.Separator });
  return {
    items: [sep(`Upstream (${up.length})`), ...up.map(h => item(h, 'arrow-up')), sep(`Downstream (${down.length})`), ...down.map(h => item(h, 'arrow-down'))],
    truncated: deeper,
  };
}
