// Every approvable action on a dbt project, by kind and target: plans with core's planners (the workspace's current
// texts, the current language model, a warehouse connection opened for the action and closed after it), then goes
// through the approval flow (preview.ts). The palette, the lenses, the lightbulb and the chat all come here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planAirflowDag } from '../../core/edits/airflow';
import { planDocumentation, planDocumentFolder } from '../../core/edits/document';
import { planOptimization } from '../../core/edits/optimize';
import { planRenameColumn } from '../../core/edits/refactorColumn';
import { planRenameModel } from '../../core/edits/refactorModel';
import { planReplaceHardcodedRelations } from '../../core/edits/refactorRelations';
import { readRunFailures } from '../../core/edits/runResults';
import { explainFailure } from '../../core/edits/runResultsExplain';
import { planStagingModel } from '../../core/edits/staging';
import { planTests } from '../../core/edits/testsGen';
import type { ChatEditTarget } from '../../core/answer/editRequest';
import type { EditPlan } from '../../core/edits/types';
import type { Engine } from '../../core/engine';
import type { Problem } from '../../core/types';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import type { FolderEngine } from '../engines/folderEngine';
import type { ModelManager } from '../llm/modelManager';
import type { Log } from '../log';
import type { WarehouseAccess } from '../warehouse/warehouseAccess';
import { checkPythonSyntax } from './airflowCheck';
import { withWarehouse } from './editWarehouse';
import type { PlanView } from './planView';
import { proposePlan, type Proposal, type ProposalStatus } from './preview';
import { workspaceReader } from './workspaceTexts';

export type EditKind =
  | 'document' | 'documentRewrite' | 'documentFolder' | 'tests' | 'optimize' | 'renameModel' | 'renameColumn'
  | 'replaceHardcoded' | 'staging' | 'airflow' | 'fixFailure';

export const EDIT_KINDS: readonly EditKind[] = ['document', 'documentRewrite', 'documentFolder', 'tests', 'optimize', 'renameModel',
  'renameColumn', 'replaceHardcoded', 'staging', 'airflow', 'fixFailure'];

/** What an action is about (the core's request type: only the fields its kind needs are read). */
export type EditTarget = ChatEditTarget;

/** What the chat gets back: the outcome and the words to show. */
export interface ChatEditResult {
  status: ProposalStatus;
  message: string;
  /** The plan's title and explanation (markdown), for the chat to show beside the outcome. */
  title?: string;
  explanation?: string;
}

export interface EditDeps {
  engines: WorkspaceEngines;
  warehouses: WarehouseAccess;
  models: ModelManager;
  log: Log;
  view: PlanView;
}

export interface Planned {
  plan: EditPlan;
  folder: FolderEngine;
}

export class EditActions {
  constructor(readonly d: EditDeps) {}

  /** Plans, checks, shows and (if approved) applies one action; the outcome is notified unless it came from the chat. */
  async propose(kind: EditKind, target: EditTarget, origin: 'chat' | 'command' = 'command'): Promise<Proposal> {
    const planned = await this.plan(kind, target);
    return this.offer(planned, origin, () => this.plan(kind, target).then(p => p.plan), kind === 'fixFailure');
  }

  /** The chat's entry point: same flow, the outcome returned (never a notification). */
  async proposeFromChat(kind: string, target: EditTarget): Promise<ChatEditResult> {
    if (!EDIT_KINDS.includes(kind as EditKind)) {
      return { status: 'invalid', message: `Unknown action "${kind}"; one of: ${EDIT_KINDS.join(', ')}.` };
    }
    try {
      const p = await this.propose(kind as EditKind, target, 'chat');
      return { status: p.status, message: p.message, title: p.plan.title, explanation: p.plan.explanation };
    } catch (e) {
      const message = this.d.log.clean(e instanceof Error ? e.message : String(e));
      this.d.log.error(`chat action ${kind} failed`, e);
      return { status: 'invalid', message: `The action failed before anything was shown: ${message}` };
    }
  }

  /** A plan made elsewhere (a review's fix) through the same approval flow. */
  offer(planned: Planned, origin: 'chat' | 'command', replan?: () => Promise<EditPlan>, showWhenNothing = false): Promise<Proposal> {
    const { folder } = planned;
    return proposePlan(planned.plan, {
      folder: folder.folder, origin, log: this.d.log, view: this.d.view, replan, showWhenNothing,
      afterApply: () => { void folder.refreshNow('approved change applied', false); },
    });
  }

  /** The folder an action runs in: the target's, the node's, else the active one. */
  folderFor(target: EditTarget): FolderEngine | undefined {
    const all = this.d.engines.all();
    if (target.folder) return all.find(e => e.folder.uri.toString() === target.folder);
    if (target.node) {
      const owner = all.find(e => e.snapshot?.graph.get(target.node!) || e.snapshot?.graph.resolve(target.node!));
      if (owner) return owner;
    }
    return this.d.engines.active();
  }

  async plan(kind: EditKind, target: EditTarget): Promise<Planned> {
    const folder = this.folderFor(target);
    if (!folder) throw new Error('No dbt project is open: open a folder holding a dbt_project.yml.');
    await folder.whenIdle();
    const engine = await folder.get();
    if (!engine) throw new Error(`The index of ${folder.folder.name} is not available${folder.error ? `: ${folder.error}` : ''}.`);
    const plan = await this.planIn(kind, target, folder, engine);
    return { plan, folder };
  }

  private async planIn(kind: EditKind, t: EditTarget, folder: FolderEngine, engine: Engine): Promise<EditPlan> {
    const readFile = workspaceReader(folder.folder);
    const model = this.d.models.current.model;
    const need = (v: string | undefined, what: string): string => {
      if (!v?.trim()) throw new Error(`${kind} needs ${what}.`);
      return v.trim();
    };
    switch (kind) {
      case 'document':
      case 'documentRewrite':
        return withWarehouse(this.d.warehouses, folder, this.d.log, async (w, why) => withNote(
          await planDocumentation(engine, need(t.node, 'a model, source, seed or snapshot'), { model, rewrite: kind === 'documentRewrite', connection: w?.conn, readFile }),
          w ? undefined : `No warehouse for column types, statistics and tests (${why}); documented from the SQL and lineage only.`));
      case 'documentFolder':
        return withWarehouse(this.d.warehouses, folder, this.d.log, async w =>
          planDocumentFolder(engine, t.path ?? '', { model, connection: w?.conn, tests: false, readFile }));
      case 'tests':
        return withWarehouse(this.d.warehouses, folder, this.d.log, async (w, why) => w
          ? planTests(engine, need(t.node, 'a model, source, seed or snapshot'), { connection: w.conn, readFile })
          : blocked(`Generate tests for ${t.node ?? 'a model'}`, `Tests are inferred from the data: ${why} Configure the warehouse (DEA: Test Warehouse Connection), then try again.`));
      case 'optimize':
        if (!model) return blocked(`Optimize ${t.node ?? 'a model'}`, 'Optimizing SQL needs a language model: pick one with "DEA: Choose Language Model".');
        return planOptimization(engine, need(t.node, 'a model'), model, { readFile, goal: t.goal });
      case 'renameModel':
        return planRenameModel(engine, need(t.node, 'a model'), need(t.newName, 'the new name'), { readFile });
      case 'renameColumn':
        return planRenameColumn(engine, need(t.node, 'a model'), need(t.column, 'the column to rename'), need(t.newName, 'the new name'), { readFile });
      case 'replaceHardcoded':
        return planReplaceHardcodedRelations(engine, need(t.node, 'a model'), { readFile });
      case 'staging':
        return planStagingModel(engine, need(t.source, 'the source name'), need(t.table, 'the source table'), { readFile });
      case 'airflow':
        return checkPythonSyntax(await planAirflowDag(engine, { dagsFolder: dagsFolder(folder), mode: t.mode ?? 'per-model', readFile }), this.d.log);
      case 'fixFailure':
        return this.failurePlan(folder, engine, t);
    }
  }

  /** The fix proposed for a failure of the last dbt run (the explanation becomes the plan's explanation). */
  private async failurePlan(folder: FolderEngine, engine: Engine, t: EditTarget): Promise<EditPlan> {
    const readFile = workspaceReader(folder.folder);
    const run = await readRunFailures(engine, { readFile });
    const title = 'Fix a failure from run_results.json';
    if (run.problems.some(p => p.severity === 'error')) return { ...blocked(title, ''), problems: run.problems };
    const candidates = t.failure ? run.failures.filter(f => f.result.uniqueId === t.failure || f.node?.name === t.failure) : run.failures;
    if (!candidates.length) return blocked(title, t.failure ? `${t.failure} did not fail in ${run.run.path}.` : `Nothing failed in ${run.run.path}.`);
    return withWarehouse(this.d.warehouses, folder, this.d.log, async w => {
      const notes: string[] = [];
      for (const f of candidates) {
        const e = await explainFailure(engine, f, { query: w?.query, run: run.run, readFile });
        if (e.plan) return { ...e.plan, explanation: [e.markdown, e.plan.explanation].filter(Boolean).join('\n\n'), citations: [...e.citations, ...e.plan.citations] };
        notes.push(e.markdown);
      }
      const none: EditPlan = { title, explanation: notes.join('\n\n---\n\n'), changes: [], citations: [], problems: [] };
      none.problems.push({ path: run.run.path, severity: 'warning', message: 'No change follows from the facts of the failure alone; the explanation says what to look at.' });
      return none;
    });
  }
}

/** The dags folder setting, workspace-relative (default `dags`); an absolute path must lie inside the folder (the
 *  approval flow writes only there). */
export function dagsFolder(folder: FolderEngine): string {
  const set = vscode.workspace.getConfiguration('dea', folder.folder.uri).get<string>('airflow.dagsFolder', 'dags')?.trim() || 'dags';
  if (!path.isAbsolute(set)) return set;
  const rel = path.relative(folder.folder.uri.fsPath, set);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new Error(`dea.airflow.dagsFolder (${set}) is outside the workspace folder ${folder.folder.name}: set a folder inside it (e.g. dags).`);
  }
  return rel.split(path.sep).join('/');
}

/** A plan that cannot be offered, with the reason as its problem. */
export function blocked(title: string, message: string): EditPlan {
  const problems: Problem[] = message ? [{ path: '', severity: 'error', message }] : [];
  return { title, explanation: '', changes: [], citations: [], problems };
}

function withNote(plan: EditPlan, note: string | undefined): EditPlan {
  if (note) plan.problems.push({ path: '', severity: 'warning', message: note });
  return plan;
}
