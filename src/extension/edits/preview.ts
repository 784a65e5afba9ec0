// The approval flow of every proposed change: plan → checked → shown → applied only if approved.
//
// One primary way: VS Code's Refactor Preview. The plan becomes ONE WorkspaceEdit whose every entry carries
// WorkspaceEditEntryMetadata { needsConfirmation: true, label: plan title, description: the change } and is applied with
// `workspace.applyEdit(edit, { isRefactoring: true })`. VS Code then shows each change with a checkbox, UNTICKED
// (needsConfirmation means "the user must confirm this one"): the user ticks what to apply (a file's box ticks all its
// changes) and presses Apply, or Discard. Nothing is written before that. One WorkspaceEdit = one undo step.
//
// Before showing: a plan with an error problem is never offered (its problems are shown instead); every `modify` is
// re-checked against the current text (open editor or disk) and a stale plan is re-planned once, never applied;
// creates must not exist and renames must find their file. After the decision the workspace is read back: what landed
// is reported (all, some, or nothing = a rejection), and the touched files are saved unless
// `files.refactoring.autoSave` is off (VS Code itself saves only multi-file refactorings).
import * as vscode from 'vscode';
import { applyChanges } from '../../core/edits/apply';
import type { EditPlan } from '../../core/edits/types';
import type { Problem } from '../../core/types';
import type { Log } from '../log';
import { uriOf } from '../paths';
import { describeChange, lineColAt, mergeTouching, touchedPaths } from './editRanges';
import type { PlanView } from './planView';
import { currentText, exists, openDocument } from './workspaceTexts';

/** applied: at least one change was written; rejected: the user discarded (or ticked nothing) and nothing changed;
 *  invalid: the plan was not offered (errors, stale twice, another preview open); nothing: the plan changes nothing. */
export type ProposalStatus = 'applied' | 'rejected' | 'invalid' | 'nothing';

export interface Proposal {
  status: ProposalStatus;
  /** One or two sentences for a notification or the chat. */
  message: string;
  /** The plan as offered (after a re-plan, the new one). */
  plan: EditPlan;
  /** Changes written, by describeChange(). */
  applied: string[];
  /** Changes the user left unticked (when some were applied). */
  skipped: string[];
  /** Why the plan was not offered (status invalid). */
  problems: Problem[];
}

export interface ProposeOptions {
  folder: vscode.WorkspaceFolder;
  /** 'chat': the outcome goes back to the chat only; 'command': a notification says it. */
  origin: 'chat' | 'command';
  log: Log;
  /** Shows the plan's explanation beside the preview (commands); without it nothing extra opens. */
  view?: PlanView;
  /** Makes the plan again against the current files, when the one given turns out stale. */
  replan?: () => Promise<EditPlan>;
  /** Shows the plan's explanation also when it changes nothing (a failure explained without a fix). */
  showWhenNothing?: boolean;
  /** Runs after something was applied (e.g. refresh the index). */
  afterApply?: (written: string[]) => void | Promise<void>;
}

interface Prepared {
  /** The resulting text of every touched path (null: removed by a rename). */
  expected: Map<string, string | null>;
  /** Current texts of the touched paths before applying. */
  before: Map<string, string>;
}

let pending: string | undefined;

/** The title of the plan waiting in the Refactor Preview, if any. */
export function pendingProposal(): string | undefined {
  return pending;
}

export async function proposePlan(plan: EditPlan, opts: ProposeOptions): Promise<Proposal> {
  const result = await decide(plan, opts);
  if (opts.origin === 'command') notify(result, opts);
  opts.log.info(`proposal "${result.plan.title}": ${result.status} — ${result.message}`);
  return result;
}

async function decide(first: EditPlan, opts: ProposeOptions): Promise<Proposal> {
  let plan = first;
  let ready = await check(plan, opts.folder);
  if ('stale' in ready && opts.replan) {
    opts.log.info(`"${plan.title}" is stale (${ready.stale[0]?.message}); planning again`);
    plan = await opts.replan();
    ready = await check(plan, opts.folder);
  }
  if ('errors' in ready) {
    if (opts.view && opts.origin === 'command') await opts.view.show(plan, ready.errors);
    return outcome(plan, 'invalid', `"${plan.title}" was not offered for approval: ${ready.errors.map(p => p.message).join(' ')}`, { problems: ready.errors });
  }
  if ('stale' in ready) {
    return outcome(plan, 'invalid', `"${plan.title}" was not offered: ${ready.stale.map(p => p.message).join(' ')}`, { problems: ready.stale });
  }
  if ('nothing' in ready) {
    if (opts.showWhenNothing && opts.view && opts.origin === 'command' && plan.explanation.trim()) await opts.view.show(plan);
    return outcome(plan, 'nothing', ready.nothing);
  }
  if (pending) {
    const message = `Another proposed change ("${pending}") is waiting in the Refactor Preview: apply or discard it first.`;
    return outcome(plan, 'invalid', message, { problems: [{ path: '', severity: 'error', message }] });
  }
  return show(plan, ready.prepared, opts);
}

type Checked = { prepared: Prepared } | { errors: Problem[] } | { stale: Problem[] } | { nothing: string };

/** Errors block; no changes = nothing to do; the changes must apply to the current texts. */
async function check(plan: EditPlan, folder: vscode.WorkspaceFolder): Promise<Checked> {
  const errors = plan.problems.filter(p => p.severity === 'error');
  if (errors.length) return { errors };
  if (!plan.changes.length) {
    const why = plan.problems.map(p => p.message).join(' ') || firstLine(plan.explanation) || 'everything it would write is already there.';
    return { nothing: `"${plan.title}": nothing to change — ${why}` };
  }
  const before = new Map<string, string>();
  for (const rel of touchedPaths(plan.changes)) {
    const uri = uriOf(folder, rel);
    if (!uri) return { errors: [{ path: rel, severity: 'error', message: `${rel} is outside the workspace folder ${folder.name}; the plan cannot write there.` }] };
    const text = await currentText(uri);
    if (text !== undefined) before.set(rel, text);
  }
  const r = applyChanges(before, plan.changes);
  if (r.problems.length) return { stale: r.problems };
  return { prepared: { expected: r.files, before } };
}

/** The plan as one WorkspaceEdit; every entry needs the user's confirmation. Positions come from each change's
 *  `before`, which check() proved equal to the current text. */
export function toWorkspaceEdit(plan: EditPlan, folder: vscode.WorkspaceFolder): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const c of plan.changes) {
    const meta: vscode.WorkspaceEditEntryMetadata = { needsConfirmation: true, label: plan.title, description: describeChange(c) };
    const uri = uriOf(folder, c.path)!;
    if (c.kind === 'create') {
      edit.createFile(uri, { contents: Buffer.from(c.text, 'utf8'), overwrite: false, ignoreIfExists: false }, meta);
    } else if (c.kind === 'rename') {
      edit.renameFile(uri, uriOf(folder, c.newPath)!, { overwrite: false, ignoreIfExists: false }, meta);
    } else {
      for (const e of mergeTouching(c.edits)) {
        const a = lineColAt(c.before, e.start), b = lineColAt(c.before, e.end);
        edit.replace(uri, new vscode.Range(a.line, a.character, b.line, b.character), e.newText, meta);
      }
    }
  }
  return edit;
}

async function show(plan: EditPlan, prepared: Prepared, opts: ProposeOptions): Promise<Proposal> {
  pending = plan.title;
  try {
    return await showPending(plan, prepared, opts);
  } finally {
    pending = undefined;
  }
}

async function showPending(plan: EditPlan, prepared: Prepared, opts: ProposeOptions): Promise<Proposal> {
  // Loading the edited files as documents lets VS Code check their versions when applying (a file changed meanwhile
  // is refused), and keeps them loaded so Undo can take back the change in every file at once.
  for (const c of plan.changes) if (c.kind === 'modify') await vscode.workspace.openTextDocument(uriOf(opts.folder, c.path)!);
  const edit = toWorkspaceEdit(plan, opts.folder);
  const dirtyBefore = new Set(touchedPaths(plan.changes).filter(rel => openDocument(uriOf(opts.folder, rel)!)?.isDirty));
  const explanation = opts.view && opts.origin === 'command' ? await opts.view.show(plan).catch(() => undefined) : undefined;
  let accepted: boolean;
  try {
    accepted = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  } finally {
    await explanation?.close();
  }
  const landed = await readBack(plan, prepared, opts.folder);
  if (!landed.applied.length) {
    return outcome(plan, 'rejected', `Rejected "${plan.title}": nothing was changed${accepted ? ' (no change was ticked)' : ''}.`);
  }
  await save(plan, opts.folder, dirtyBefore);
  await opts.afterApply?.(touchedPaths(plan.changes));
  const all = plan.changes.length;
  const message = landed.skipped.length
    ? `Applied ${landed.applied.length} of ${all} changes of "${plan.title}"; left out: ${landed.skipped.join('; ')}.`
    : `Applied "${plan.title}": ${landed.applied.join('; ')}.`;
  return outcome(plan, 'applied', message, landed);
}

/** Which changes are now in the workspace. A file with some of its edits unticked is changed but not as planned:
 *  it counts as applied, marked "partly". */
async function readBack(plan: EditPlan, prepared: Prepared, folder: vscode.WorkspaceFolder): Promise<{ applied: string[]; skipped: string[] }> {
  const applied: string[] = [];
  const skipped: string[] = [];
  for (const c of plan.changes) {
    const what = describeChange(c);
    const uri = uriOf(folder, c.path)!;
    if (c.kind === 'rename') {
      (!(await exists(uri)) && await exists(uriOf(folder, c.newPath)!) ? applied : skipped).push(what);
      continue;
    }
    const now = await currentText(uri);
    if (now === undefined || now === prepared.before.get(c.path)) skipped.push(what);
    else applied.push(now === prepared.expected.get(c.path) ? what : `${what} (partly)`);
  }
  return { applied, skipped };
}

/** Saves what the edit left dirty (not documents the user had unsaved changes in), as VS Code's
 *  files.refactoring.autoSave does for multi-file refactorings. */
async function save(plan: EditPlan, folder: vscode.WorkspaceFolder, dirtyBefore: Set<string>): Promise<void> {
  if (vscode.workspace.getConfiguration('files', folder.uri).get<boolean>('refactoring.autoSave', true) === false) return;
  for (const rel of touchedPaths(plan.changes)) {
    if (dirtyBefore.has(rel)) continue;
    const doc = openDocument(uriOf(folder, rel)!);
    if (doc?.isDirty) await doc.save();
  }
}

function outcome(plan: EditPlan, status: ProposalStatus, message: string, more: Partial<Pick<Proposal, 'applied' | 'skipped' | 'problems'>> = {}): Proposal {
  return { status, message, plan, applied: more.applied ?? [], skipped: more.skipped ?? [], problems: more.problems ?? [] };
}

function notify(p: Proposal, opts: ProposeOptions): void {
  if (p.status === 'applied' || p.status === 'nothing') void vscode.window.showInformationMessage(p.message);
  else if (p.status === 'rejected') void vscode.window.showInformationMessage(p.message);
  else {
    void vscode.window.showErrorMessage(p.message, 'Show Details').then(async a => {
      if (a && opts.view) await opts.view.show(p.plan, p.problems);
    });
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.replace(/^#+\s*/, '') ?? '';
}
