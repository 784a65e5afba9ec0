// "Show history of the current model": the commits that changed its file (renames followed), newest first;
// picking one opens that commit's change to the file. Also the tests covering a model (from its test lens).
import * as vscode from 'vscode';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import { openCommit, openNode } from '../navigate';
import { resolveNode } from '../nodeRef';
import { relativeTime } from '../codeLens/relativeTime';

export async function showHistory(engines: WorkspaceEngines, arg?: unknown): Promise<void> {
  const r = await resolveNode(engines, arg, 'Show history of');
  if (!r) return;
  const path = r.node.location?.path ?? r.node.yamlLocation?.path;
  if (!path) return;
  const changes = r.snap.history.fileChanges(path);
  if (!changes.length) {
    const why = r.snap.historyData.reason ? ` (${r.snap.historyData.reason})` : '';
    void vscode.window.showInformationMessage(`No git history for ${path}${why}.`);
    return;
  }
  const items = changes.map(({ commit, change }) => ({
    label: `$(git-commit) ${commit.subject}`,
    description: `${commit.author} · ${relativeTime(commit.date)}`,
    detail: `${commit.sha.slice(0, 7)} · +${change.additions} −${change.deletions}${change.oldPath && change.oldPath !== change.path ? ` · renamed from ${change.oldPath}` : ''}`,
    sha: commit.sha, path: change.path,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: `History of ${r.node.name} (${path})`, placeHolder: 'Pick a commit to see its change', matchOnDescription: true, matchOnDetail: true });
  if (picked) await openCommit(r.engine.folder, picked.sha, picked.path);
}

export async function showTests(engines: WorkspaceEngines, arg?: unknown): Promise<void> {
  const r = await resolveNode(engines, arg, 'Show tests of');
  if (!r) return;
  const tests = r.snap.graph.testsCovering(r.node.uniqueId);
  if (!tests.length) {
    void vscode.window.showInformationMessage(`No tests cover ${r.node.name}.`);
    return;
  }
  const items = tests.map(t => ({
    label: `$(beaker) ${t.testName}${t.column ? ` on ${t.column}` : ''}`,
    description: t.singular ? 'singular test' : t.viaRelationship ? 'relationship from another model' : 'generic test',
    detail: t.node.location?.path ?? t.def?.location?.path ?? t.node.yamlLocation?.path,
    t,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: `Tests covering ${r.node.name}`, matchOnDetail: true });
  if (!picked) return;
  const loc = picked.t.def?.location;
  if (loc && !picked.t.node.location) {
    await vscode.commands.executeCommand('dea.openCitation', { path: loc.path, startLine: loc.startLine, endLine: loc.endLine, kind: 'test' }, r.engine.folder.uri.toString());
  }
  else await openNode(r.engine.folder, picked.t.node);
}
