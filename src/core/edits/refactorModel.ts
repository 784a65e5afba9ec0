// Rename a model: its file (and its version files), every ref() that resolves to it in SQL, Python and YAML
// (tests' `to:`, exposures' depends_on, semantic models' `model:`, unit tests), its `name:` entries and its
// dbt_project.yml config key. Prose (docs blocks, descriptions, SQL comments) is left alone on purpose.
import { isMap, isScalar, type Scalar } from 'yaml';
import type { DbtNode, DbtProjectInfo } from '../types';
import { findProjectFiles } from '../dbt/files';
import { isRefable, refNameOf } from '../dbt/graph-node';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import type { EditPlan, FileChange, TextEdit } from './types';
import {
  dedupeEdits, dirOf, findNode, isIdentifier, joinPath, lineAt, modifyChange, newPlan, nodeCitation, PlanFiles,
  problem, uniqueCitations, type EditEngine, type PlanOptions,
} from './refactorContext';
import { refLiteralsIn, refLiteralsOfFile, type RefLiteral } from './refactorLiterals';
import { eachScalar, mapGet, readYaml, scalarEdit } from './refactorYaml';
import { validateInto } from './refactorValidate';

/** Keys whose values are prose: a ref() written there is an example in text, not a dependency. */
const PROSE_KEYS = new Set(['description', 'docs', 'meta', 'label']);

interface Target {
  snap: WorkspaceSnapshot;
  node: DbtNode;
  oldName: string;
  newName: string;
}

export async function planRenameModel(engine: EditEngine, from: string, to: string, opts: PlanOptions = {}): Promise<EditPlan> {
  const snap = await engine.snapshot();
  const files = new PlanFiles(snap.root, opts.readFile);
  const plan = newPlan(`Rename ${from} to ${to}`);
  const node = findNode(snap, from, ['model']);
  if (!node?.location) {
    plan.problems.push(problem('', `No model named "${from}" in this workspace; give a model name, unique_id or file path.`));
    return plan;
  }
  const t: Target = { snap, node, oldName: refNameOf(node), newName: to.trim() };
  plan.title = `Rename model ${t.oldName} to ${t.newName}`;
  if (!checkNewName(t, plan)) return plan;

  const notes: string[] = [];
  const counts = new Map<string, number>();
  const renames = renameFiles(t, plan, notes);
  for (const p of snap.projects) {
    for (const rel of await findProjectFiles(snap.root, p.info)) {
      const text = await files.text(rel);
      if (text === undefined || !text.toLowerCase().includes(t.oldName.toLowerCase())) continue;
      const edits = fileEdits(t, p.info, rel, text, notes);
      if (!edits.length) continue;
      plan.changes.push(modifyChange(rel, text, edits));
      counts.set(rel, edits.length);
      plan.citations.push({ path: rel, startLine: lineAt(text, edits[0].start), kind: 'file', title: rel });
    }
    const cfg = await projectConfigEdit(t, p.info, files);
    if (cfg) {
      plan.changes.push(cfg.change);
      counts.set(p.info.configPath, 1);
      notes.push(`\`${p.info.configPath}\`: the \`models:\` config key of ${t.oldName} is renamed too, so its settings still apply.`);
    }
  }
  plan.changes.push(...renames); // after the edits: a modify names the file by its current path
  plan.citations.unshift(nodeCitation(node));
  plan.citations = uniqueCitations(plan.citations);
  plan.explanation = explain(t, counts, notes);
  await validateInto(snap, plan, files);
  return plan;
}

function checkNewName(t: Target, plan: EditPlan): boolean {
  if (!isIdentifier(t.newName)) {
    plan.problems.push(problem(t.node.location!.path, `"${t.newName}" is not a valid model name: use letters, digits and underscores, not starting with a digit.`));
    return false;
  }
  if (t.newName.toLowerCase() === t.oldName.toLowerCase()) {
    plan.problems.push(problem(t.node.location!.path, `${t.oldName} already has that name; nothing to rename.`));
    return false;
  }
  const clash = t.snap.graph.findAll(t.newName).find(n => isRefable(n) && n.project === t.node.project && refNameOf(n).toLowerCase() === t.newName.toLowerCase());
  if (clash) {
    plan.problems.push(problem(clash.location?.path ?? '', `A ${clash.resourceType} named ${t.newName} already exists (${clash.location?.path ?? clash.uniqueId}); pick another name.`));
    return false;
  }
  return true;
}

/** The model's file, or the files of all its versions (`x_v1.sql`, `x_v2.sql`). */
function renameFiles(t: Target, plan: EditPlan, notes: string[]): FileChange[] {
  const family = t.snap.graph.nodes().filter(n => n.resourceType === 'model' && n.project === t.node.project && refNameOf(n) === t.oldName && n.location);
  const out: FileChange[] = [];
  for (const n of family) {
    const p = n.location!.path;
    const file = p.slice(p.lastIndexOf('/') + 1);
    const dot = file.lastIndexOf('.');
    const stem = file.slice(0, dot), ext = file.slice(dot);
    let newStem: string | undefined;
    if (stem.toLowerCase() === t.oldName.toLowerCase()) newStem = t.newName;
    else if (stem.toLowerCase().startsWith(`${t.oldName.toLowerCase()}_v`)) newStem = t.newName + stem.slice(t.oldName.length);
    if (!newStem) {
      notes.push(`\`${p}\` is not named after the model (defined_in); its file name is kept.`);
      plan.problems.push(problem(p, `${p} is not named after ${t.oldName}; rename it by hand if it should follow.`, 'warning'));
      continue;
    }
    out.push({ kind: 'rename', path: p, newPath: joinPath(dirOf(p), newStem + ext) });
  }
  return out;
}

/** Does a ref() call written in `project` resolve to the renamed model? */
function refersToTarget(t: Target, call: RefLiteral['call'], project: string): boolean {
  if (call.name.toLowerCase() !== t.oldName.toLowerCase()) return false;
  if (call.package) return call.package.toLowerCase() === t.node.project.toLowerCase();
  if (project === t.node.project) return true;
  // Another project's unqualified ref goes to its own model of that name when it has one.
  return !t.snap.graph.nodes().some(n => isRefable(n) && n.project === project && refNameOf(n).toLowerCase() === t.oldName.toLowerCase());
}

function fileEdits(t: Target, info: DbtProjectInfo, rel: string, text: string, notes: string[]): TextEdit[] {
  const lower = rel.toLowerCase();
  const fromLiterals = (lits: RefLiteral[]) => lits.filter(l => refersToTarget(t, l.call, info.name))
    .map(l => ({ start: l.name.start, end: l.name.end, newText: t.newName }));
  if (lower.endsWith('.sql') || lower.endsWith('.py')) return dedupeEdits(fromLiterals(refLiteralsOfFile(rel, text)));
  if (!lower.endsWith('.yml') && !lower.endsWith('.yaml')) return [];
  const { docs, error } = readYaml(text);
  if (error) {
    notes.push(`\`${rel}\` is not valid YAML (${error}); it was not searched. Fix it and plan again.`);
    return [];
  }
  const edits: TextEdit[] = [];
  eachScalar(docs, ({ node, path }) => {
    const value = typeof node.value === 'string' ? node.value : undefined;
    if (value === undefined) return;
    const own = info.name === t.node.project;
    if (own && path.length === 3 && path[0] === 'models' && path[2] === 'name' && value.toLowerCase() === t.oldName.toLowerCase()) {
      push(edits, scalarEdit(text, node, t.newName));
    } else if (own && path.length === 3 && path[0] === 'unit_tests' && path[2] === 'model' && value.toLowerCase() === t.oldName.toLowerCase()) {
      push(edits, scalarEdit(text, node, t.newName));
    } else if (/\bref\s*\(/.test(value) && !path.some(k => typeof k === 'string' && PROSE_KEYS.has(k)) && node.range) {
      edits.push(...fromLiterals(refLiteralsIn(text, node.range[0], node.range[1])));
    }
  });
  return dedupeEdits(edits);
}

function push(edits: TextEdit[], e: TextEdit | undefined): void {
  if (e) edits.push(e);
}

/** `models: <project>: <folders...>: <model>:` in dbt_project.yml, following the model's fqn. */
async function projectConfigEdit(t: Target, info: DbtProjectInfo, files: PlanFiles): Promise<{ change: FileChange } | undefined> {
  if (info.name !== t.node.project) return undefined;
  const fqn = t.node.props.fqn;
  if (!Array.isArray(fqn) || fqn.length < 2) return undefined;
  const text = await files.text(info.configPath);
  if (!text) return undefined;
  const { docs, error } = readYaml(text);
  if (error || !docs.length) return undefined;
  let cur: unknown = mapGet(docs[0].contents, 'models');
  for (let i = 0; i < fqn.length; i++) {
    if (!isMap(cur)) return undefined;
    const pair = cur.items.find(p => isScalar(p.key) && String(p.key.value) === String(fqn[i]));
    if (!pair) return undefined;
    if (i === fqn.length - 1) {
      const e = scalarEdit(text, pair.key as Scalar, fqn[i] === t.oldName ? t.newName : String(fqn[i]).replace(t.oldName, t.newName));
      return e ? { change: modifyChange(info.configPath, text, [e]) } : undefined;
    }
    cur = pair.value;
  }
  return undefined;
}

function explain(t: Target, counts: Map<string, number>, notes: string[]): string {
  const lines = [`Renames the model \`${t.oldName}\` to \`${t.newName}\` everywhere dbt resolves it:`, ''];
  const sorted = [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  for (const [p, n] of sorted) lines.push(`- \`${p}\`: ${n} reference${n === 1 ? '' : 's'}`);
  if (!sorted.length) lines.push('- no other file refers to it');
  lines.push('', 'Docs blocks, descriptions and SQL comments that mention the old name are left as they are.',
    `The relation in the warehouse keeps its old name until the next \`dbt run\` builds \`${t.newName}\`; drop the old relation afterwards.`);
  if (notes.length) lines.push('', ...notes.map(n => `- ${n}`));
  return lines.join('\n');
}
