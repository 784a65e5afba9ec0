// Helpers of the approval-flow suite (edits.spec.ts): the workspace's bytes before/after, and deciding in VS Code's
// real Refactor Preview with its own commands (list navigation, refactorPreview.toggleCheckedState / apply / discard).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyChanges } from '../../../src/core/edits/apply';
import type { EditPlan } from '../../../src/core/edits/types';
import { waitFor, workspaceDir } from './helpers';

const SKIP = /(^|\/)(\.git|target|\.vscode|logs)(\/|$)|\.duckdb(\.wal)?$/;

/** Every file of the workspace copy (not .git, target, the warehouse) by relative path → bytes. */
export function workspaceBytes(dir = workspaceDir()): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (SKIP.test(r)) continue;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.set(r, fs.readFileSync(path.join(dir, r)));
    }
  };
  walk('');
  return out;
}

/** The paths whose bytes differ (added, removed or changed) between two workspace states. */
export function changedPaths(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const out = new Set<string>();
  for (const [p, buf] of a) if (!b.get(p)?.equals(buf)) out.add(p);
  for (const p of b.keys()) if (!a.has(p)) out.add(p);
  return [...out].sort();
}

export function assertSameBytes(before: Map<string, Buffer>, what: string): void {
  assert.deepEqual(changedPaths(before, workspaceBytes()), [], `${what}: files changed`);
}

/** Writes every file of `snapshot` back and removes files it did not have, through VS Code's file service (open
 *  documents follow at once), then waits until every open, unsaved-free document shows the disk's text. */
export async function restoreBytes(snapshot: Map<string, Buffer>): Promise<void> {
  const dir = workspaceDir();
  for (const p of changedPaths(snapshot, workspaceBytes())) {
    const uri = vscode.Uri.file(path.join(dir, p));
    const buf = snapshot.get(p);
    if (buf) await vscode.workspace.fs.writeFile(uri, buf);
    else await vscode.workspace.fs.delete(uri, { useTrash: false });
  }
  for (const d of ['dags', 'orchestration']) {
    const abs = path.join(dir, d);
    if (fs.existsSync(abs) && ![...snapshot.keys()].some(k => k.startsWith(`${d}/`))) fs.rmSync(abs, { recursive: true, force: true });
  }
  await waitFor('open documents to show the restored files', () => vscode.workspace.textDocuments.every(doc => {
    if (doc.uri.scheme !== 'file' || doc.isDirty || !doc.uri.fsPath.startsWith(dir)) return true;
    try { return fs.readFileSync(doc.uri.fsPath, 'utf8') === doc.getText(); } catch { return true; }
  }));
}

export type Decision = 'apply' | 'discard' | { tick: number[] };

export interface Decided<T> {
  result: T;
  /** The plan document shown beside the preview (markdown), when the action came from a command. */
  planText?: string;
  /** The workspace's bytes while the preview waited for the decision. */
  whileOpen: Map<string, Buffer>;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function planDocs(): Set<string> {
  return new Set(vscode.workspace.textDocuments.filter(d => d.uri.scheme === 'dea-plan').map(d => d.uri.toString()));
}

/**
 * Runs an action and decides in the Refactor Preview. 'apply' ticks every file (their boxes start unticked:
 * each change needs confirmation) and applies; `{ tick: [i…] }` ticks only those files (0-based, in the preview's
 * order) before applying; 'discard' discards. Waits for the plan document (command actions) or a fixed delay (chat).
 */
export async function decide<T>(run: () => Thenable<T>, decision: Decision, opts: { files?: number; chat?: boolean } = {}): Promise<Decided<T>> {
  const known = planDocs();
  let settled = false;
  const running = Promise.resolve(run()).finally(() => { settled = true; });
  let planText: string | undefined;
  if (!opts.chat) {
    const uri = await waitFor('the plan document beside the preview', () => [...planDocs()].find(u => !known.has(u)) ?? (settled ? 'settled' : undefined), 60_000);
    if (uri === 'settled') assert.fail(`the action finished without showing a preview: ${JSON.stringify(await running)}`);
    planText = vscode.workspace.textDocuments.find(d => d.uri.toString() === uri)?.getText();
  }
  await sleep(opts.chat ? 4000 : 2500); // the preview pane opens and fills its tree
  if (settled) assert.fail(`the action finished before a decision: ${JSON.stringify(await running)}`);
  const whileOpen = workspaceBytes();
  if (decision === 'discard') {
    await vscode.commands.executeCommand('refactorPreview.discard');
  } else {
    const files = opts.files ?? filesOf(planText);
    const ticks = decision === 'apply' ? [...Array(files).keys()] : decision.tick;
    await vscode.commands.executeCommand('list.collapseAll');
    await vscode.commands.executeCommand('list.focusFirst');
    for (let i = 0; i < files; i++) {
      if (ticks.includes(i)) await vscode.commands.executeCommand('refactorPreview.toggleCheckedState');
      await vscode.commands.executeCommand('list.focusDown');
      await sleep(50);
    }
    await vscode.commands.executeCommand('refactorPreview.apply');
  }
  const result = await Promise.race([running, sleep(30_000).then(() => { throw new Error('no outcome 30 s after the decision'); })]);
  return { result, planText, whileOpen };
}

/** Files in the preview: the distinct paths of the "Proposed changes" list of the plan document. */
function filesOf(planText: string | undefined): number {
  const section = planText?.split(/^## /m).find(s => s.startsWith('Proposed changes')) ?? '';
  const paths = new Set([...section.matchAll(/^- (?:edit|create|rename) (\S+)/gm)].map(m => m[1]));
  assert.ok(paths.size, `no changes listed in the plan document:\n${planText}`);
  return paths.size;
}

/** The plan's result computed by core from the texts before, compared with every file of the workspace after. */
export function assertWroteExactly(plan: EditPlan, before: Map<string, Buffer>): void {
  const texts = new Map([...before].map(([p, b]) => [p, b.toString('utf8')]));
  const r = applyChanges(texts, plan.changes);
  assert.deepEqual(r.problems, []);
  const after = workspaceBytes();
  const expectedChanged = [...r.files.keys()].sort();
  assert.deepEqual(changedPaths(before, after), expectedChanged, 'exactly the planned files changed');
  for (const [p, text] of r.files) {
    if (text === null) assert.equal(after.has(p), false, `${p} removed`);
    else assert.equal(after.get(p)?.toString('utf8'), text, `${p} is exactly the previewed text`);
  }
}
