// Rename a model's output column: where the model defines it, its YAML column entry, relationships tests that
// point at it, and downstream SQL that reads it by name through a ref() of the model. Only occurrences that can be
// tied to the model are edited; the others are listed in the explanation for a human to decide.
import { isMap, isScalar, isSeq } from 'yaml';
import type { DbtNode } from '../types';
import { findProjectFiles } from '../dbt/files';
import { refNameOf } from '../dbt/graph-node';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import type { EditPlan, TextEdit } from './types';
import {
  dedupeEdits, findNode, isIdentifier, lineAt, modifyChange, newPlan, nodeCitation, PlanFiles, problem,
  uniqueCitations, yamlCitation, type EditEngine, type PlanOptions,
} from './refactorContext';
import { knownColumns, resolveRef, resolveSource } from './refactorCatalog';
import { renameColumnInSql, type SqlNote } from './refactorColumnSql';
import { readSqlModel, type Relation } from './refactorSql';
import { mapGet, namedItem, readYaml, scalarEdit, scalarString, topLevelItems } from './refactorYaml';
import { refLiteralsIn } from './refactorLiterals';
import { validateInto } from './refactorValidate';

interface Ctx {
  snap: WorkspaceSnapshot;
  files: PlanFiles;
  node: DbtNode;
  from: string;
  to: string;
  plan: EditPlan;
  notes: { path: string; line: number; reason: string }[];
  edited: Map<string, number>;
}

export async function planRenameColumn(engine: EditEngine, model: string, from: string, to: string, opts: PlanOptions = {}): Promise<EditPlan> {
  const snap = await engine.snapshot();
  const files = new PlanFiles(snap.root, opts.readFile);
  const plan = newPlan(`Rename column ${from} of ${model} to ${to}`);
  const node = findNode(snap, model, ['model']);
  if (!node?.location || node.language === 'python') {
    plan.problems.push(problem('', node ? `${node.name} is a Python model; renaming its columns is not supported — edit the DataFrame code by hand.`
      : `No model named "${model}"; give a model name, unique_id or file path.`));
    return plan;
  }
  const ctx: Ctx = { snap, files, node, from: from.trim(), to: to.trim(), plan, notes: [], edited: new Map() };
  plan.title = `Rename column ${node.name}.${ctx.from} to ${ctx.to}`;
  if (!checkNames(ctx)) return plan;
  await ownSql(ctx);
  await yamlEdits(ctx);
  await downstreamSql(ctx);
  plan.citations = uniqueCitations([nodeCitation(node), ...(yamlCitation(node) ? [yamlCitation(node)!] : []), ...plan.citations]);
  plan.explanation = explain(ctx);
  await validateInto(snap, plan, files);
  return plan;
}

function checkNames(ctx: Ctx): boolean {
  const path = ctx.node.location!.path;
  if (!isIdentifier(ctx.to)) {
    ctx.plan.problems.push(problem(path, `"${ctx.to}" is not a plain column name (letters, digits, underscores); pick another.`));
    return false;
  }
  if (ctx.to.toLowerCase() === ctx.from.toLowerCase()) {
    ctx.plan.problems.push(problem(path, `The column is already called ${ctx.from}; nothing to rename.`));
    return false;
  }
  const cols = knownColumns(ctx.snap, ctx.node);
  if (cols?.includes(ctx.to.toLowerCase())) {
    ctx.plan.problems.push(problem(path, `${ctx.node.name} already has a column named ${ctx.to}; renaming ${ctx.from} to it would make two.`));
    return false;
  }
  if (cols && !cols.includes(ctx.from.toLowerCase())) {
    ctx.plan.problems.push(problem(path, `${ctx.node.name} has no column ${ctx.from} in its YAML or the warehouse catalog; the plan relies on its SQL alone.`, 'warning'));
  }
  return true;
}

function columnsOf(ctx: Ctx, project: string) {
  return (r: Relation): string[] | undefined => {
    const n = r.kind === 'ref' && r.ref ? resolveRef(ctx.snap, project, r.ref) : r.kind === 'source' && r.source ? resolveSource(ctx.snap, project, r.source) : undefined;
    return n ? knownColumns(ctx.snap, n) : undefined;
  };
}

function addEdits(ctx: Ctx, path: string, text: string, edits: TextEdit[]): void {
  if (!edits.length) return;
  const existing = ctx.plan.changes.find(c => c.kind === 'modify' && c.path === path);
  if (existing && existing.kind === 'modify') existing.edits = dedupeEdits([...existing.edits, ...edits]).sort((a, b) => a.start - b.start);
  else ctx.plan.changes.push(modifyChange(path, text, dedupeEdits(edits)));
  ctx.edited.set(path, (ctx.edited.get(path) ?? 0) + edits.length);
  ctx.plan.citations.push({ path, startLine: lineAt(text, edits[0].start), kind: 'file', title: path });
}

function addNotes(ctx: Ctx, path: string, notes: SqlNote[]): void {
  for (const n of notes) ctx.notes.push({ path, line: n.line, reason: n.reason });
}

async function ownSql(ctx: Ctx): Promise<void> {
  const path = ctx.node.location!.path;
  const text = await ctx.files.text(path);
  if (text === undefined) { ctx.plan.problems.push(problem(path, `${path} cannot be read.`)); return; }
  const m = readSqlModel(text);
  const r = renameColumnInSql(m, { column: ctx.from, to: ctx.to, mode: 'own', isTarget: () => false, columnsOf: columnsOf(ctx, ctx.node.project) });
  const edits = [...r.edits, ...uniqueKeyEdits(ctx, text)];
  addEdits(ctx, path, text, edits);
  addNotes(ctx, path, r.notes);
  if (!r.defined) ctx.plan.problems.push(problem(path, `Could not find where ${ctx.node.name} names its output column ${ctx.from}; see the explanation.`, 'warning'));
  if (ctx.node.isIncremental || ctx.node.config.materialized === 'incremental') {
    ctx.notes.push({ path, line: 1, reason: `${ctx.node.name} is incremental: run it once with \`--full-refresh\` so the existing table gets the new column name` });
  }
}

/** `config(unique_key='from')` / `unique_key=['from', 'x']` in the model's own config() call. */
function uniqueKeyEdits(ctx: Ctx, text: string): TextEdit[] {
  const out: TextEdit[] = [];
  const re = /unique_key\s*=\s*(\[[^\]]*\]|'[^']*'|"[^"]*")/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const base = m.index + m[0].length - m[1].length;
    const lit = /(['"])([^'"]*)\1/g;
    for (let l = lit.exec(m[1]); l; l = lit.exec(m[1])) {
      if (l[2].toLowerCase() === ctx.from.toLowerCase()) out.push({ start: base + l.index + 1, end: base + l.index + 1 + l[2].length, newText: ctx.to });
    }
  }
  return out;
}

/** The column entry in the model's YAML, test arguments naming the column, and relationships `field:` pointing at it. */
async function yamlEdits(ctx: Ctx): Promise<void> {
  const own = ctx.node.yamlLocation?.path;
  const project = ctx.snap.projects.find(p => p.info.name === ctx.node.project);
  const paths = new Set<string>(own ? [own] : []);
  for (const p of ctx.snap.projects) for (const f of await findProjectFiles(ctx.snap.root, p.info)) if (/\.ya?ml$/i.test(f)) paths.add(f);
  for (const path of [...paths].sort()) {
    const text = await ctx.files.text(path);
    if (text === undefined || !text.toLowerCase().includes(ctx.from.toLowerCase())) continue;
    const { docs, error } = readYaml(text);
    if (error) continue;
    const edits: TextEdit[] = [];
    if (path === own) {
      const entry = namedItem(topLevelItems(docs, 'models'), refNameOf(ctx.node));
      const cols = mapGet(entry, 'columns');
      if (isSeq(cols)) {
        for (const c of cols.items) {
          const name = mapGet(c, 'name');
          if (isScalar(name) && scalarString(name)?.toLowerCase() === ctx.from.toLowerCase()) push(edits, scalarEdit(text, name, ctx.to));
        }
      }
      if (entry) modelLevelArgs(ctx, text, entry, edits);
    }
    relationshipFields(ctx, text, docs, project?.info.name ?? ctx.node.project, edits);
    addEdits(ctx, path, text, edits);
  }
}

/** Model-level tests naming the column: combination_of_columns lists, column_name arguments. */
function modelLevelArgs(ctx: Ctx, text: string, entry: unknown, edits: TextEdit[]): void {
  for (const key of ['tests', 'data_tests']) {
    const tests = mapGet(entry, key);
    if (!isSeq(tests)) continue;
    const walk = (n: unknown, under: string | undefined): void => {
      if (isScalar(n)) {
        if ((under === 'combination_of_columns' || under === 'column_name') && scalarString(n)?.toLowerCase() === ctx.from.toLowerCase()) push(edits, scalarEdit(text, n, ctx.to));
      } else if (isMap(n)) for (const p of n.items) walk(p.value, isScalar(p.key) ? String(p.key.value) : under);
      else if (isSeq(n)) for (const it of n.items) walk(it, under);
    };
    walk(tests, undefined);
  }
}

/** Any map with `to: ref('<model>')` and `field: <column>` (relationships tests, with or without `arguments:`). */
function relationshipFields(ctx: Ctx, text: string, docs: ReturnType<typeof readYaml>['docs'], project: string, edits: TextEdit[]): void {
  const visit = (n: unknown): void => {
    if (isMap(n)) {
      const to = mapGet(n, 'to'), field = mapGet(n, 'field');
      if (isScalar(to) && isScalar(field) && to.range && scalarString(field)?.toLowerCase() === ctx.from.toLowerCase()) {
        const lit = refLiteralsIn(text, to.range[0], to.range[1])[0];
        const target = lit ? resolveRef(ctx.snap, project, lit.call) : undefined;
        if (target?.uniqueId === ctx.node.uniqueId) push(edits, scalarEdit(text, field, ctx.to));
      }
      for (const p of n.items) visit(p.value);
    } else if (isSeq(n)) for (const it of n.items) visit(it);
  };
  for (const d of docs) visit(d.contents);
}

async function downstreamSql(ctx: Ctx): Promise<void> {
  const children = ctx.snap.graph.downstream(ctx.node.uniqueId, 1, { includeTests: true }).map(h => h.node)
    .filter(n => n.location?.path.endsWith('.sql') && n.language !== 'python' && !n.props.synthesized);
  for (const child of children.sort((a, b) => a.location!.path.localeCompare(b.location!.path))) {
    const path = child.location!.path;
    const text = await ctx.files.text(path);
    if (text === undefined) continue;
    const m = readSqlModel(text);
    const isTarget = (r: Relation) => r.kind === 'ref' && !!r.ref && resolveRef(ctx.snap, child.project, r.ref)?.uniqueId === ctx.node.uniqueId;
    const r = renameColumnInSql(m, { column: ctx.from, to: ctx.to, mode: 'downstream', isTarget, columnsOf: columnsOf(ctx, child.project) });
    addEdits(ctx, path, text, r.edits);
    addNotes(ctx, path, r.notes);
  }
  for (const n of ctx.snap.graph.downstream(ctx.node.uniqueId, 1).map(h => h.node)) {
    if ((n.resourceType === 'semantic_model' || n.resourceType === 'exposure') && JSON.stringify(n.props).toLowerCase().includes(ctx.from.toLowerCase())) {
      ctx.notes.push({ path: n.location?.path ?? '', line: n.location?.startLine ?? 1, reason: `${n.resourceType} ${n.name} mentions ${ctx.from}; update its entities/dimensions/measures by hand` });
    }
  }
}

function push(edits: TextEdit[], e: TextEdit | undefined): void {
  if (e) edits.push(e);
}

function explain(ctx: Ctx): string {
  const lines = [`Renames the output column \`${ctx.from}\` of \`${ctx.node.name}\` to \`${ctx.to}\`.`, ''];
  for (const [p, n] of [...ctx.edited.entries()].sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`- \`${p}\`: ${n} edit${n === 1 ? '' : 's'}`);
  lines.push('', 'Downstream models keep their own column names: a column selected as is becomes `' + `${ctx.to} as ${ctx.from}` + '`.');
  if (ctx.notes.length) {
    lines.push('', '**Not edited — please check:**');
    for (const n of ctx.notes) lines.push(`- \`${n.path}:${n.line}\` — ${n.reason}`);
  }
  return lines.join('\n');
}
