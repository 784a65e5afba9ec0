// The palette commands of the approvable actions. Each finds its target (the argument from a lens, lightbulb or
// another command; else the active editor's node; else a quick pick), asks what only the user can say (a new name, a
// folder, a source table), then hands over to EditActions. Each returns its outcome (tests read it).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readRunFailures, type Failure } from '../../core/edits/runResults';
import { explainFailure } from '../../core/edits/runResultsExplain';
import type { EditPlan } from '../../core/edits/types';
import { sourceNameOf } from '../../core/dbt/graph-node';
import type { Log } from '../log';
import { resolveNode, type ResolvedNode } from '../nodeRef';
import { relativePath } from '../paths';
import type { EditActions, EditKind, EditTarget } from './actions';
import { withWarehouse } from './editWarehouse';
import type { Proposal } from './preview';
import type { ReviewPanel, ReviewSummary } from './reviewPanel';
import { workspaceReader } from './workspaceTexts';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function registerEditCommands(actions: EditActions, reviews: ReviewPanel, log: Log): vscode.Disposable {
  const engines = actions.d.engines;
  const onNode = (what: string, kind: EditKind) => async (arg?: unknown): Promise<Proposal | undefined> => {
    const r = await resolveNode(engines, arg, what);
    return r ? actions.propose(kind, { folder: r.engine.folder.uri.toString(), node: r.node.uniqueId }) : undefined;
  };
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'dea.documentModel': onNode('Document', 'document'),
    'dea.documentModelRewrite': onNode('Document (rewrite existing descriptions)', 'documentRewrite'),
    'dea.generateTests': onNode('Generate tests for', 'tests'),
    'dea.optimizeModel': onNode('Optimize the SQL of', 'optimize'),
    'dea.replaceHardcodedRelations': onNode('Replace hard-coded relations in', 'replaceHardcoded'),
    'dea.renameModel': async (arg?: unknown, newName?: unknown) => {
      const r = await resolveNode(engines, arg, 'Rename model');
      const to = r && (typeof newName === 'string' ? newName : await askName(`Rename model ${r.node.name} to`, r.node.name));
      return r && to ? actions.propose('renameModel', { folder: r.engine.folder.uri.toString(), node: r.node.uniqueId, newName: to }) : undefined;
    },
    'dea.renameColumn': async (arg?: unknown, column?: unknown, newName?: unknown) => {
      const r = await resolveNode(engines, arg, 'Rename a column of');
      const col = r && (typeof column === 'string' && column ? column : await pickColumn(r));
      const to = col && (typeof newName === 'string' ? newName : await askName(`Rename column ${r!.node.name}.${col} to`, col));
      return r && col && to ? actions.propose('renameColumn', { folder: r.engine.folder.uri.toString(), node: r.node.uniqueId, column: col, newName: to }) : undefined;
    },
    'dea.reviewModel': async (arg?: unknown): Promise<ReviewSummary | undefined> => {
      const r = await resolveNode(engines, arg, 'Review');
      return r ? reviews.review(r.engine, r.node.uniqueId) : undefined;
    },
    'dea.applyReviewFix': (key: unknown) => (typeof key === 'string' ? reviews.applyFix(key) : undefined),
    'dea.documentFolder': async (arg?: unknown) => {
      const t = await pickFolder(actions, arg);
      return t ? actions.propose('documentFolder', t) : undefined;
    },
    'dea.newStagingModel': async (source?: unknown, table?: unknown) => {
      const t = typeof source === 'string' && typeof table === 'string' ? { source, table } : await pickSourceTable(actions);
      return t ? actions.propose('staging', t) : undefined;
    },
    'dea.generateAirflowDag': async (mode?: unknown) => {
      const m = mode === 'per-model' || mode === 'selector-groups' ? mode : await pickDagMode();
      return m ? actions.propose('airflow', { mode: m }) : undefined;
    },
    'dea.explainRunFailures': (failure?: unknown) => explainRunFailures(actions, typeof failure === 'string' ? failure : undefined),
    // For the chat and other callers: any action by kind and a complete target; returns the outcome.
    'dea.proposeEdit': (kind: unknown, target: unknown) => actions.proposeFromChat(String(kind), (target ?? {}) as EditTarget),
  };
  return vscode.Disposable.from(...Object.entries(commands).map(([id, fn]) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await fn(...args);
    } catch (e) {
      const message = log.clean(e instanceof Error ? e.message : String(e));
      log.error(`command ${id} failed`, e);
      void vscode.window.showErrorMessage(`${id}: ${message}`);
      return undefined;
    }
  })));
}

async function askName(title: string, current: string): Promise<string | undefined> {
  const v = await vscode.window.showInputBox({
    title, value: current, valueSelection: [0, current.length], ignoreFocusOut: true,
    validateInput: s => (IDENT.test(s.trim()) ? (s.trim() === current ? 'Type a different name' : undefined) : 'Use letters, digits and _ (not starting with a digit)'),
  });
  return v?.trim() || undefined;
}

async function pickColumn(r: ResolvedNode): Promise<string | undefined> {
  const table = r.snap.catalog?.tables.find(t => t.nodeId === r.node.uniqueId);
  const names = [...new Set([...r.node.columns.map(c => c.name), ...(table?.columns ?? []).map(c => c.name)])];
  if (!names.length) return vscode.window.showInputBox({ title: `Column of ${r.node.name} to rename`, ignoreFocusOut: true });
  const picked = await vscode.window.showQuickPick(names.map(n => ({ label: n, description: r.node.columns.find(c => c.name === n)?.description?.slice(0, 80) })), { title: `Rename a column of ${r.node.name}` });
  return picked?.label;
}

/** The folder of an explorer right-click (a Uri), else one the user picks among the folders holding dbt nodes. */
async function pickFolder(actions: EditActions, arg: unknown): Promise<EditTarget | undefined> {
  const engines = actions.d.engines;
  if (arg instanceof vscode.Uri) {
    const engine = engines.forUri(arg);
    const rel = engine && (relativePath(engine.folder, arg) ?? '');
    if (engine && rel !== undefined) return { folder: engine.folder.uri.toString(), path: rel };
  }
  const items: (vscode.QuickPickItem & { t: EditTarget })[] = [];
  for (const e of engines.all()) {
    const dirs = new Map<string, number>();
    for (const n of e.snapshot?.graph.nodes() ?? []) {
      if (!['model', 'seed', 'snapshot', 'source'].includes(n.resourceType) || !n.location) continue;
      for (let d = path.posix.dirname(n.location.path); d && d !== '.'; d = path.posix.dirname(d)) dirs.set(d, (dirs.get(d) ?? 0) + 1);
    }
    const folder = e.folder.uri.toString();
    const multi = engines.all().length > 1 ? ` · ${e.folder.name}` : '';
    items.push({ label: '$(root-folder) Whole project', description: e.folder.name, t: { folder, path: '' } });
    for (const [d, n] of [...dirs].sort()) items.push({ label: `$(folder) ${d}`, description: `${n} node${n === 1 ? '' : 's'}${multi}`, t: { folder, path: d } });
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Document all undocumented columns in…', matchOnDescription: true });
  return picked?.t;
}

async function pickSourceTable(actions: EditActions): Promise<EditTarget | undefined> {
  const items: (vscode.QuickPickItem & { t: EditTarget })[] = [];
  for (const e of actions.d.engines.all()) {
    const graph = e.snapshot?.graph;
    for (const n of graph?.nodes() ?? []) {
      if (n.resourceType !== 'source') continue;
      const staged = graph!.downstream(n.uniqueId, 1).map(h => h.node).filter(m => m.resourceType === 'model').map(m => m.name);
      items.push({
        label: `${sourceNameOf(n)}.${n.name}`, description: staged.length ? `already read by ${staged.join(', ')}` : 'no model reads it yet',
        t: { folder: e.folder.uri.toString(), source: sourceNameOf(n), table: n.name },
      });
    }
  }
  items.sort((a, b) => Number(!!a.description?.startsWith('already')) - Number(!!b.description?.startsWith('already')) || a.label.localeCompare(b.label));
  if (!items.length) {
    void vscode.window.showInformationMessage('No source tables are declared: add them to a sources YAML file first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'New staging model from source table', matchOnDescription: true });
  return picked?.t;
}

async function pickDagMode(): Promise<'per-model' | 'selector-groups' | undefined> {
  const picked = await vscode.window.showQuickPick([
    { label: 'One task per model', detail: 'A BashOperator per model, seed and snapshot, wired by the lineage', mode: 'per-model' as const },
    { label: 'Task groups by folder', detail: 'One `dbt build --select path:…` group per models folder', mode: 'selector-groups' as const },
  ], { title: 'Airflow DAG for the dbt project' });
  return picked?.mode;
}

/** Explain Failing Tests: pick one failure (its fix, when one follows, is proposed) or explain them all. */
async function explainRunFailures(actions: EditActions, failure?: string): Promise<Proposal | EditPlan | undefined> {
  if (failure) return actions.propose('fixFailure', { failure });
  const folder = actions.d.engines.active();
  const engine = folder && await folder.get();
  if (!folder || !engine) throw new Error('No dbt project is indexed yet.');
  await folder.whenIdle();
  const readFile = workspaceReader(folder.folder);
  const run = await readRunFailures(engine, { readFile });
  const error = run.problems.find(p => p.severity === 'error');
  if (error) {
    void vscode.window.showWarningMessage(error.message);
    return undefined;
  }
  if (!run.failures.length) {
    void vscode.window.showInformationMessage(`Nothing failed in ${run.run.path}.`);
    return undefined;
  }
  const all = { label: `$(list-flat) Explain all ${run.failures.length} failures`, f: undefined as Failure | undefined };
  const items = [...run.failures.map(f => ({ label: failureLabel(f), description: f.result.status, detail: f.result.message?.split('\n')[0], f })), ...(run.failures.length > 1 ? [all] : [])];
  const picked = await vscode.window.showQuickPick(items, { title: `Failures in ${run.run.path}`, matchOnDetail: true });
  if (!picked) return undefined;
  if (picked.f) return actions.propose('fixFailure', { folder: folder.folder.uri.toString(), failure: picked.f.result.uniqueId });
  const parts = await withWarehouse(actions.d.warehouses, folder, actions.d.log, async w =>
    Promise.all(run.failures.map(f => explainFailure(engine, f, { query: w?.query, run: run.run, readFile }))));
  const plan: EditPlan = {
    title: `Failures in ${run.run.path}`, changes: [], problems: [],
    explanation: parts.map(p => `${p.markdown}${p.plan ? `\n\n_A fix is proposed when you pick this failure alone: ${p.plan.title}._` : ''}`).join('\n\n---\n\n'),
    citations: parts.flatMap(p => p.citations),
  };
  await actions.d.view.show(plan);
  return plan;
}

function failureLabel(f: Failure): string {
  const what = f.testName ?? f.node?.name ?? f.result.uniqueId;
  const on = f.covers ? ` on ${f.covers.name}${f.column ? `.${f.column}` : ''}` : '';
  return `${what}${on}`;
}
