// An Airflow DAG file that runs a dbt project: one BashOperator per model/seed/snapshot wired by dbt's lineage
// ('per-model'), or one task group per folder or tag running `dbt build --select path:...` ('selector-groups').
// The output is deterministic (same project, same options → same bytes) and plain Airflow 2 Python.
import * as path from 'node:path';
import type { DbtNode, DbtProjectInfo } from '../types';
import { versionOf } from '../dbt/graph-node';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { diffToEdits } from './applyDiff';
import type { EditPlan } from './types';
import { modifyChange, newPlan, nodeCitation, PlanFiles, problem, type EditEngine, type PlanOptions } from './refactorContext';
import { folderGroups, tagGroups, taskGraph, type TaskGroupSpec } from './airflowGraph';

export interface AirflowDagOptions extends PlanOptions {
  /** Folder for the DAG file: workspace-relative, or absolute. */
  dagsFolder: string;
  /** Default `dbt_<project>`. */
  dagId?: string;
  mode: 'per-model' | 'selector-groups';
  /** selector-groups only: group by folder (default) or by first tag. */
  groupBy?: 'folder' | 'tag';
  /** selector-groups by folder: how many folder levels below models/ make a group (default: the whole folder). */
  folderDepth?: number;
  /** Airflow schedule; default '@daily'; null = triggered only. */
  schedule?: string | null;
  /** Where profiles.yml is on the Airflow worker; default: the folder of the profiles.yml the project uses. */
  profilesDir?: string;
  target?: string;
  /** Where the dbt project is on the Airflow worker; default: its folder in this workspace. */
  projectDir?: string;
  /** `dbt build` per task (default), or `dbt run`/`seed`/`snapshot` followed by `dbt test`. */
  command?: 'build' | 'run-test';
  /** dbt project name when the workspace has several. */
  project?: string;
  /** ISO date of the DAG's start_date (default 2024-01-01). */
  startDate?: string;
}

export async function planAirflowDag(engine: EditEngine, opts: AirflowDagOptions): Promise<EditPlan> {
  const snap = await engine.snapshot();
  const files = new PlanFiles(snap.root, opts.readFile);
  const plan = newPlan('Airflow DAG');
  const project = opts.project ? snap.projects.find(p => p.info.name === opts.project) : snap.projects[0];
  if (!project) {
    plan.problems.push(problem('', opts.project ? `No dbt project named ${opts.project}; the workspace has ${snap.projects.map(p => p.info.name).join(', ') || 'none'}.`
      : 'The workspace has no dbt project (no dbt_project.yml).'));
    return plan;
  }
  const info = project.info;
  const dagId = opts.dagId ?? `dbt_${info.name}`;
  if (!/^[A-Za-z0-9_.-]+$/.test(dagId)) {
    plan.problems.push(problem('', `"${dagId}" is not a valid Airflow dag_id: use letters, digits, '_', '.' and '-'.`));
    return plan;
  }
  if (snap.projects.length > 1 && !opts.project) plan.problems.push(problem(info.configPath, `The workspace has ${snap.projects.length} dbt projects; this DAG runs ${info.name} only (pass project to choose).`, 'warning'));
  const file = path.posix.join(opts.dagsFolder.replace(/\\/g, '/'), `${dagId}.py`);
  plan.title = `Airflow DAG ${dagId} for ${info.name} (${opts.mode === 'per-model' ? 'one task per model' : `task groups by ${opts.groupBy ?? 'folder'}`})`;
  const settings = dagSettings(snap, info, opts, dagId);
  const tg = taskGraph(snap.graph, info.name);
  if (!tg.order.length) plan.problems.push(problem(info.configPath, `${info.name} has no enabled model, seed or snapshot to run.`, 'warning'));
  let text: string;
  let summary: string;
  if (opts.mode === 'per-model') {
    text = renderPerModel(settings, tg.order, tg.parents, opts.command ?? 'build');
    const edges = [...tg.parents.values()].reduce((n, p) => n + p.length, 0);
    summary = `${tg.order.length} tasks (one per model, seed and snapshot) and ${edges} dependencies taken from dbt's lineage`;
  } else {
    const groups = opts.groupBy === 'tag' ? tagGroups(snap.graph, info) : folderGroups(snap.graph, info, opts.folderDepth ?? Infinity);
    text = renderGroups(settings, groups, opts.command ?? 'build');
    summary = `${groups.length} task groups (${groups.map(g => `\`${g.label}\``).join(', ')}) and ${groups.reduce((n, g) => n + g.after.length, 0)} dependencies between them`;
    const merged = groups.filter(g => g.label.includes(' + '));
    if (merged.length) summary += `; ${merged.map(g => `\`${g.label}\``).join(', ')} depend on each other and run as one group`;
  }
  const before = await files.text(file);
  if (before === undefined) plan.changes.push({ kind: 'create', path: file, text });
  else if (before !== text) plan.changes.push(modifyChange(file, before, diffToEdits(before, text)));
  plan.citations.push({ path: info.configPath, kind: 'project', title: info.name }, ...tg.order.slice(0, 20).map(n => nodeCitation(n)));
  plan.explanation = [
    `Writes \`${file}\`: ${summary}.`, '',
    `Each task runs \`${opts.command === 'run-test' ? 'dbt run/seed/snapshot` then `dbt test' : 'dbt build'}\` from \`${settings.projectDir}\` with profiles from \`${settings.profilesDir}\`` +
      `${settings.target ? ` and target \`${settings.target}\`` : ''}; \`DBT_PROJECT_DIR\`, \`DBT_PROFILES_DIR\` and \`DBT_TARGET\` override them on the worker.`,
    `Schedule: ${settings.schedule === null ? 'none (triggered runs only)' : `\`${settings.schedule}\``}. Regenerate the file when models are added or their refs change.`,
    before !== undefined && before === text ? '\nThe file is already up to date.' : '',
  ].join('\n').trim();
  return plan;
}

interface DagSettings {
  dagId: string;
  project: string;
  projectDir: string;
  profilesDir: string;
  target?: string;
  schedule: string | null;
  startDate: [number, number, number];
}

function dagSettings(snap: WorkspaceSnapshot, info: DbtProjectInfo, opts: AirflowDagOptions, dagId: string): DagSettings {
  const projectDir = opts.projectDir ?? path.join(snap.root, info.root);
  const conn = snap.connections.find(c => c.project === info.name);
  const profilesPath = conn?.profilesPath ? (path.isAbsolute(conn.profilesPath) ? conn.profilesPath : path.join(snap.root, conn.profilesPath)) : undefined;
  const profilesDir = opts.profilesDir ?? (profilesPath ? path.dirname(profilesPath) : '~/.dbt');
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(opts.startDate ?? '2024-01-01') ?? ['', '2024', '01', '01'];
  return {
    dagId, project: info.name, projectDir, profilesDir, target: opts.target ?? conn?.target,
    schedule: opts.schedule === undefined ? '@daily' : opts.schedule, startDate: [Number(m[1]), Number(m[2]), Number(m[3])],
  };
}

// ---------------------------------------------------------------- Python

/** A Python string literal (JSON strings are valid Python strings). */
function py(s: string): string {
  return JSON.stringify(s);
}

function header(s: DagSettings, doc: string, taskGroups: boolean): string[] {
  return [
    `"""${doc}`,
    '',
    'Generated by Data Engineering Agent from the dbt project; regenerate it when the lineage changes.',
    '"""',
    'from __future__ import annotations',
    '',
    'import os',
    'import shlex',
    'from datetime import datetime',
    '',
    'from airflow import DAG',
    'from airflow.operators.bash import BashOperator',
    ...(taskGroups ? ['from airflow.utils.task_group import TaskGroup'] : []),
    '',
    `DBT_PROJECT_DIR = os.environ.get("DBT_PROJECT_DIR", ${py(s.projectDir)})`,
    `DBT_PROFILES_DIR = os.environ.get("DBT_PROFILES_DIR", ${py(s.profilesDir)})`,
    `DBT_TARGET = os.environ.get("DBT_TARGET", ${py(s.target ?? '')})`,
    '',
    '',
    'def dbt(command: str) -> str:',
    '    """A dbt command line, run from the project folder."""',
    '    target = f" --target {shlex.quote(DBT_TARGET)}" if DBT_TARGET else ""',
    '    return (',
    '        f"cd {shlex.quote(DBT_PROJECT_DIR)} && dbt {command}"',
    '        f" --profiles-dir {shlex.quote(DBT_PROFILES_DIR)}{target}"',
    '    )',
    '',
    '',
    'with DAG(',
    `    dag_id=${py(s.dagId)},`,
    `    schedule=${s.schedule === null ? 'None' : py(s.schedule)},`,
    `    start_date=datetime(${s.startDate.join(', ')}),`,
    '    catchup=False,',
    '    max_active_runs=1,',
    `    tags=["dbt", ${py(s.project)}],`,
    '    default_args={"retries": 1},',
    ') as dag:',
  ];
}

/** `stg_orders`, or `dim_customers.v2` for a version of a versioned model. */
function selectorOf(n: DbtNode): string {
  const v = versionOf(n);
  const base = typeof n.props.versionOf === 'string' ? n.props.versionOf : n.name;
  return v !== undefined && n.resourceType === 'model' && n.props.versionOf ? `${base}.v${v}` : n.name;
}

function commandsFor(n: DbtNode, command: 'build' | 'run-test'): string {
  const sel = selectorOf(n);
  if (command === 'build') return `build --select ${sel}`;
  const verb = n.resourceType === 'seed' ? 'seed' : n.resourceType === 'snapshot' ? 'snapshot' : 'run';
  return `${verb} --select ${sel}`;
}

/** Python variable names (key → readable name): valid identifiers, unique, stable. */
function variables(entries: [string, string][]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const [key, name] of entries) {
    let v = `t_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    while (used.has(v)) v += '_';
    used.add(v);
    out.set(key, v);
  }
  return out;
}

function renderPerModel(s: DagSettings, order: DbtNode[], parents: Map<string, string[]>, command: 'build' | 'run-test'): string {
  const lines = header(s, `Runs the dbt project ${s.project}: one task per model, seed and snapshot, wired by dbt's lineage.`, false);
  const vars = variables(order.map(n => [n.uniqueId, n.name]));
  for (const n of order) {
    const cmd = command === 'build' ? `dbt(${py(commandsFor(n, command))})`
      : `dbt(${py(commandsFor(n, command))}) + " && " + dbt(${py(`test --select ${selectorOf(n)}`)})`;
    lines.push(`    ${vars.get(n.uniqueId)} = BashOperator(`, `        task_id=${py(n.name)},`, `        bash_command=${cmd},`, '    )');
  }
  const deps = order.filter(n => (parents.get(n.uniqueId) ?? []).some(p => vars.has(p)));
  if (deps.length) lines.push('', "    # Dependencies: dbt's lineage (ref() between models, seeds and snapshots).");
  for (const n of deps) {
    const ps = (parents.get(n.uniqueId) ?? []).filter(p => vars.has(p)).map(p => vars.get(p)!);
    lines.push(`    ${ps.length === 1 ? ps[0] : `[${ps.join(', ')}]`} >> ${vars.get(n.uniqueId)}`);
  }
  if (!order.length) lines.push('    pass');
  return lines.join('\n') + '\n';
}

function groupCommands(g: TaskGroupSpec, command: 'build' | 'run-test'): { task: string; cmd: string }[] {
  const sel = `${g.select.length ? ` --select ${g.select.join(' ')}` : ''}${g.exclude.length ? ` --exclude ${g.exclude.join(' ')}` : ''}`;
  if (command === 'build') return [{ task: 'build', cmd: `build${sel}` }];
  const verbs = ['seed', 'snapshot', 'run'].filter(v => g.members.some(m => (v === 'run' ? m.resourceType === 'model' : m.resourceType === v)));
  return [...verbs.map(v => ({ task: v, cmd: `${v}${sel}` })), { task: 'test', cmd: `test${sel}` }];
}

function renderGroups(s: DagSettings, groups: TaskGroupSpec[], command: 'build' | 'run-test'): string {
  const lines = header(s, `Runs the dbt project ${s.project}: one task group per selector, in lineage order.`, true);
  const vars = variables(groups.map(g => [g.id, g.id]));
  for (const g of groups) {
    const v = vars.get(g.id)!;
    lines.push(`    # ${g.label}: ${g.members.length} node${g.members.length === 1 ? '' : 's'}`);
    lines.push(`    with TaskGroup(group_id=${py(g.id)}) as ${v}:`);
    const cmds = groupCommands(g, command);
    for (const c of cmds) lines.push(`        ${v}_${c.task} = BashOperator(task_id=${py(c.task)}, bash_command=dbt(${py(c.cmd)}))`);
    if (cmds.length > 1) lines.push(`        ${cmds.map(c => `${v}_${c.task}`).join(' >> ')}`);
    lines.push('');
  }
  const deps = groups.filter(g => g.after.some(a => vars.has(a)));
  if (deps.length) lines.push("    # Dependencies between groups: dbt's lineage.");
  for (const g of deps) {
    const ps = g.after.map(a => vars.get(a)!);
    lines.push(`    ${ps.length === 1 ? ps[0] : `[${ps.join(', ')}]`} >> ${vars.get(g.id)}`);
  }
  if (!groups.length) lines.push('    pass');
  return lines.join('\n').replace(/\n\n$/, '\n') + '\n';
}
