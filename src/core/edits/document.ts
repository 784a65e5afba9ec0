// "Document a model or source" as a validated EditPlan: the YAML entry (found where it is, or placed by the
// project's conventions) gets the node's output columns, their types when the project writes them, descriptions
// inherited from same-named upstream columns (doc() references kept), prose from a language model when one is
// given, and — with a warehouse connection — tests inferred from profiling. Existing descriptions stay unless
// `rewrite` is set. Without a language model, a column nothing describes is added by name only: no placeholder
// text is written, so it stays visibly undocumented (dbt docs, the review action) instead of looking done.
import * as path from 'node:path';
import type { DbtNode } from '../types';
import type { ChatModel } from '../llm/types';
import type { WarehouseConnection } from '../warehouse/connection';
import { isUnder } from '../dbt/paths';
import { PlanContext, type SnapshotSource } from './documentContext';
import { contractEnforced, inheritDescription, outputColumns, type Inherited, type NodeColumns } from './documentFacts';
import { describeWithModel, type DescribeColumn, type DescribeReply } from './documentPrompt';
import type { ColumnProfile } from './profile';
import { inferTests, testsExplanation, type InferredTest } from './testsGen';
import type { EditPlan, ReadFile } from './types';
import { validatePlan } from './validate';
import { describeTarget, type ColumnSpec, type EntryTarget, type TestSpec, type UpsertResult, type YamlFileEditor } from './yamlEdit';

export interface DocumentOptions {
  /** Writes prose for what stays undocumented; without it only the deterministic parts are planned. */
  model?: ChatModel;
  /** Replace existing descriptions (and doc() references) too. */
  rewrite?: boolean;
  /** Read-only warehouse connection: column statistics for the model, and inferred tests. */
  connection?: WarehouseConnection;
  /** Add tests inferred from profiling (default: true when `connection` is given). */
  tests?: boolean;
  /** The workspace's text of a file (unsaved editor text); default: read from disk. */
  readFile?: ReadFile;
  signal?: AbortSignal;
}

const DOCUMENTABLE = new Set(['model', 'source', 'seed', 'snapshot']);

/** Plans documentation for one model, source table, seed or snapshot. */
export async function planDocumentation(source: SnapshotSource, nodeIdOrName: string, opts: DocumentOptions = {}): Promise<EditPlan> {
  const ctx = await PlanContext.open(source, opts.readFile);
  const node = ctx.resolveNode(nodeIdOrName);
  const plan = emptyPlan(`Document ${node?.name ?? nodeIdOrName}`, ctx);
  if (!node) return plan;
  if (!DOCUMENTABLE.has(node.resourceType)) {
    ctx.problem(node.location?.path ?? '', `${node.name} is a ${node.resourceType}; only models, sources, seeds and snapshots are documented this way.`);
    return plan;
  }
  const { lines } = await documentNode(ctx, node, opts);
  return finish(plan, ctx, lines);
}

/** Plans documentation for every undocumented column of the models, seeds, snapshots and sources under `folder`
 *  (workspace-relative; '' = the whole workspace) as one plan. */
export async function planDocumentFolder(source: SnapshotSource, folder: string, opts: DocumentOptions = {}): Promise<EditPlan> {
  const ctx = await PlanContext.open(source, opts.readFile);
  const dir = path.posix.normalize(folder.replace(/\\/g, '/')).replace(/^\.\/?|\/+$/g, '').replace(/^\.$/, '');
  const plan = emptyPlan(`Document all undocumented columns in ${dir || 'the workspace'}`, ctx);
  const nodes = ctx.snap.graph.nodes()
    .filter(n => DOCUMENTABLE.has(n.resourceType) && n.location && isUnder(n.location.path, dir))
    .sort((a, b) => (a.location!.path < b.location!.path ? -1 : a.location!.path > b.location!.path ? 1 : a.name < b.name ? -1 : 1));
  if (!nodes.length) ctx.problem(dir, `No model, source, seed or snapshot is defined under ${dir || 'the workspace'}.`, 'warning');
  const lines: string[] = [];
  let bare = 0;
  for (const node of nodes) {
    const part = await documentNode(ctx, node, opts, true);
    bare += part.undocumented;
    if (part.lines.length) lines.push(...part.lines, '');
  }
  if (!lines.length && nodes.length) {
    lines.push(`Nothing to add under ${dir || 'the workspace'}: ${bare ? `${bare} column(s) still lack a description that neither the lineage nor the project provides; a language model (or you) must write them.` : 'every column is documented.'}`);
  }
  return finish(plan, ctx, lines);
}

function emptyPlan(title: string, ctx: PlanContext): EditPlan {
  return { title, explanation: '', changes: [], citations: ctx.citations, problems: ctx.problems };
}

async function finish(plan: EditPlan, ctx: PlanContext, lines: string[]): Promise<EditPlan> {
  plan.changes = await ctx.changes();
  plan.explanation = lines.join('\n').trim();
  plan.problems.push(...await validatePlan(plan, ctx.snap, ctx.read));
  return plan;
}

interface ColumnPlan {
  name: string;
  type?: string;
  existing: string;
  inherited?: Inherited;
  generated?: string;
  /** What the planned description comes from. */
  source?: 'inherited' | 'model';
  tests: InferredTest[];
  stats?: ColumnProfile;
  rows?: number;
}

/** Plans one node into the context's editors; returns its explanation lines (none when nothing changes in quiet
 *  mode) and how many of its columns stay without a description. */
async function documentNode(ctx: PlanContext, node: DbtNode, opts: DocumentOptions, quiet = false): Promise<{ lines: string[]; undocumented: number }> {
  const none = { lines: [], undocumented: 0 };
  const target = ctx.entryTarget(node);
  const info = ctx.info(node);
  if (!target || !info) return none;
  const conv = await ctx.conventions(info);
  const file = await ctx.entryFile(node, conv);
  if (!file) {
    ctx.problem(node.yamlLocation?.path ?? node.location?.path ?? '', `The YAML entry of ${describeTarget(target)} could not be read or found; fix the file (or refresh the workspace) and retry.`);
    return none;
  }
  const ed = await ctx.editor(file.path, conv);
  const { cols, names, plans, inference } = await planColumns(ctx, node, ed, target, opts);
  const entryExisting = ed.description(target);
  const reply = opts.model ? await generate(ctx, node, plans, entryExisting, opts) : undefined;
  for (const p of plans) p.generated = reply?.columns.get(p.name);
  const spec = {
    name: node.name,
    description: chooseEntry(entryExisting, reply?.entry, opts.rewrite),
    columns: plans.map(p => columnSpec(p, conv.dataTypes || contractEnforced(node), opts.rewrite)),
  };
  const order = conv.columnOrder === 'alphabetical' ? [...names].sort() : names;
  if (conv.columnOrder === 'alphabetical') spec.columns.sort((a, b) => (a.name < b.name ? -1 : 1));
  const r = ed.upsert(target, spec, ctx.editOptions(conv, ed.text, { rewrite: opts.rewrite, columnOrder: order }));
  citeSources(ctx, node, plans);
  const changed = r.createdEntry || r.addedColumns.length || r.described.length || r.addedTests.length || r.typed.length;
  const undocumented = plans.filter(p => !p.existing && !p.source).length;
  if (!changed && quiet) return { lines: [], undocumented };
  return { undocumented, lines: explain(node, file, cols, plans, r, inference?.tests ?? [], !!opts.model, !!reply?.entry && r.described.includes('')) };
}

function rewriteNote(plans: ColumnPlan[]): string {
  const docs = plans.filter(p => /\{\{\s*doc\(/.test(p.existing)).length;
  return docs ? `, ${docs} of them through doc() references` : '';
}

/** Every column to document: the output columns, then the ones only the YAML lists; with what is known of each. */
async function planColumns(ctx: PlanContext, node: DbtNode, ed: YamlFileEditor, target: EntryTarget, opts: DocumentOptions) {
  const cols = outputColumns(ctx, node);
  const inYaml = ed.columnNames(target) ?? [];
  const names = [...cols.names, ...inYaml.filter(y => !cols.names.some(n => n.toLowerCase() === y.toLowerCase()))];
  const plans: ColumnPlan[] = [];
  for (const name of names) {
    plans.push({ name, type: cols.types.get(name.toLowerCase()), existing: ed.description(target, name), inherited: await inheritDescription(ctx, node, name), tests: [] });
  }
  const inference = opts.connection && opts.tests !== false
    ? await inferTests(ctx, node, { connection: opts.connection, readFile: opts.readFile, signal: opts.signal }) : undefined;
  if (inference) {
    ctx.problems.push(...inference.problems);
    for (const p of plans) {
      p.tests = inference.tests.filter(t => t.column.toLowerCase() === p.name.toLowerCase());
      p.stats = inference.profile?.columns.find(c => c.name.toLowerCase() === p.name.toLowerCase());
      p.rows = inference.profile?.rows;
    }
  }
  return { cols, names, plans, inference };
}

function chooseEntry(existing: string, generated: string | undefined, rewrite?: boolean): string | undefined {
  if (existing && !rewrite) return undefined;
  return generated;
}

function columnSpec(p: ColumnPlan, typed: boolean, rewrite?: boolean): ColumnSpec {
  const inherited = p.inherited?.text;
  const useModel = rewrite ? p.generated !== undefined : !p.existing && !inherited && p.generated !== undefined;
  const description = useModel ? p.generated : (rewrite || !p.existing) ? inherited : undefined;
  p.source = description === undefined ? undefined : useModel ? 'model' : 'inherited';
  const spec: ColumnSpec = { name: p.name };
  if (description) spec.description = description;
  if (typed && p.type) spec.dataType = p.type.toLowerCase();
  const tests: TestSpec[] = p.tests.map(t => t.test);
  if (tests.length) spec.tests = tests;
  return spec;
}

function statsText(s: ColumnProfile | undefined, rows: number | undefined): string | undefined {
  if (!s || rows === undefined) return undefined;
  const bits = [`${rows} rows`, `${s.nulls} nulls`];
  if (s.distinct !== undefined) bits.push(`${s.distinct} distinct`);
  if (s.values) bits.push(`values: ${s.values.map(v => v.value).join(', ')}`);
  return bits.join(', ');
}

/** Asks the model for what neither the YAML nor the lineage describes (everything when rewriting). */
async function generate(ctx: PlanContext, node: DbtNode, plans: ColumnPlan[], entryExisting: string, opts: DocumentOptions): Promise<DescribeReply | undefined> {
  const want = plans.filter(p => opts.rewrite || (!p.existing && !p.inherited)).map(p => p.name);
  const wantEntry = opts.rewrite || !entryExisting;
  if (!want.length && !wantEntry) return undefined;
  const lineage = ctx.snap.graph.upstream(node.uniqueId, 1).map(h => `${h.node.resourceType} ${h.node.name}: ${(h.node.description ?? '').replace(/\s+/g, ' ').slice(0, 300)}`).join('\n');
  const columns: DescribeColumn[] = plans.map(p => ({
    name: p.name, type: p.type, existing: p.existing || undefined, upstream: p.inherited?.text,
    stats: statsText(p.stats, p.rows),
  }));
  try {
    return await describeWithModel(opts.model!, {
      kind: node.resourceType, name: node.name, sql: node.rawCode, lineage, entryDescription: entryExisting || undefined,
      wantEntry, columns, want,
    }, opts.signal);
  } catch (e) {
    ctx.problem(node.location?.path ?? '', `The language model could not write descriptions (${(e as Error).message}); the rest of the plan stands.`, 'warning');
    return undefined;
  }
}

function citeSources(ctx: PlanContext, node: DbtNode, plans: ColumnPlan[]): void {
  if (node.location) ctx.cite({ path: node.location.path, startLine: node.location.startLine, endLine: node.location.endLine, kind: node.resourceType, nodeId: node.uniqueId, title: node.name });
  for (const p of plans) {
    const loc = p.inherited?.location;
    if (loc && !p.existing) ctx.cite({ path: loc.path, startLine: loc.startLine, endLine: loc.endLine, kind: 'column', nodeId: p.inherited!.from.uniqueId, title: `${p.inherited!.from.name}.${p.name}` });
  }
  const table = ctx.catalogTable(node);
  if (table) ctx.cite({ path: ctx.snap.catalog?.origin ?? '', kind: 'warehouse_table', nodeId: node.uniqueId, title: `${table.schema}.${table.name}` });
}

function explain(
  node: DbtNode, file: { path: string; reason: string; exists: boolean }, cols: NodeColumns,
  plans: ColumnPlan[], r: UpsertResult, tests: InferredTest[], withModel: boolean, entryDescribed: boolean,
): string[] {
  const lines = [`### ${node.name} (${node.resourceType})`, '',
    `Entry in \`${file.path}\`${r.createdEntry ? ' (new entry)' : ''}: ${file.reason}. Columns from ${cols.origin}${cols.types.size ? ', types from the warehouse catalog' : ''}.`];
  if (cols.gaps.length) lines.push(`Could not read every column from the SQL: ${cols.gaps.join('; ')}.`);
  if (cols.catalogDiffers) lines.push(`The warehouse relation has other columns (${cols.catalogDiffers.join(', ')}) than the SQL: rebuild it to refresh the catalog.`);
  if (entryDescribed) lines.push('', `Description of ${node.name} written by the language model.`);
  const described = new Set(r.described);
  const added = new Set(r.addedColumns);
  const rows: string[] = [];
  const kept: string[] = [];
  for (const p of plans) {
    const inh = p.inherited;
    const what = described.has(p.name)
      ? p.source === 'model' ? 'described by the language model'
        : `inherited from ${inh!.from.name}.${inh!.column.name}${inh!.column.docRefs.length ? ` (doc('${inh!.column.docRefs[0]}'))` : ''}`
      : p.existing ? (kept.push(p.name), '')
        : added.has(p.name) ? `added without a description (${withModel ? 'the model gave none' : 'no language model'}; nothing upstream documents it)` : '';
    if (what) rows.push(`- \`${p.name}\`${p.type ? ` ${p.type.toLowerCase()}` : ''}${added.has(p.name) ? ' (new)' : ''}: ${what}`);
  }
  if (rows.length) lines.push('', ...rows);
  if (kept.length) lines.push('', `Kept as written: ${kept.length} documented column(s)${rewriteNote(plans)}.`);
  const stale = plans.filter(p => !cols.names.some(n => n.toLowerCase() === p.name.toLowerCase()));
  if (stale.length && cols.origin === 'the SQL') lines.push('', `Documented but not produced by the SQL: ${stale.map(p => `\`${p.name}\``).join(', ')} (left as is).`);
  const addedTests = new Set(r.addedTests.map(t => `${t.column ?? ''}|${t.test}`));
  const shown = tests.filter(t => addedTests.has(`${t.column}|${t.test.name}`));
  if (shown.length) lines.push('', 'Tests inferred from the data:', ...testsExplanation(shown));
  return lines;
}
