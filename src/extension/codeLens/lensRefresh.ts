// Lens providers re-run only when some folder's snapshot changed (not on every progress tick) or the setting flips.
import * as vscode from 'vscode';
import type { WorkspaceSnapshot } from '../../core/workspace/snapshot';
import type { WorkspaceEngines } from '../engines/workspaceEngines';

export function snapshotChanges(engines: WorkspaceEngines): { event: vscode.Event<void>; disposable: vscode.Disposable } {
  const emitter = new vscode.EventEmitter<void>();
  const seen = new Map<string, WorkspaceSnapshot | undefined>();
  const sub = engines.onDidChange(() => {
    let changed = false;
    for (const e of engines.all()) {
      const key = e.folder.uri.toString();
      if (seen.get(key) !== e.snapshot) { seen.set(key, e.snapshot); changed = true; }
    }
    if (changed) emitter.fire();
  });
  const conf = vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration('dea.codeLens')) emitter.fire(); });
  return { event: emitter.event, disposable: vscode.Disposable.from(emitter, sub, conf) };
}
