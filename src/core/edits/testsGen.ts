// Inferring generic tests from the data and the lineage: unique and not_null on keys, accepted_values on
// low-cardinality text columns, relationships from a foreign-key-like column to the node that owns that key
// (verified by an anti-join that finds no orphans). Never proposes a test the node already has.
import type { DbtNode, Problem } from '../types';
import type { WarehouseConnection } from '../warehouse/connection';
import { refNameOf, sourceNameOf } from '../dbt/graph-node';
import { PlanContext, type SnapshotSource } from './documentContext';
import { countOrphans, isTextType, isUnique, profileTable, relationSql, type TableProfile } from './profile';
import type { EditPlan, ReadFile } from './types';
import { validatePlan } from './validate';
import { describeTarget, FlowList, testIdentity, type ColumnSpec, type TestSpec } from './yamlEdit';

export interface TestsOptions {
  connection: WarehouseConnection;
  /** Values listed by accepted_values: at most this many distinct values (default 10). */
  maxValues?: number;
  readFile?: ReadFile;
  signal?: AbortSignal;
}

/** One proposed test with the evidence for it. */
export interface InferredTest {
  column: string;
  test: TestSpec;
  /** Markdown: the numbers or the check that justify the test. */
  evidence: string;
}

export interface Inference {
  tests: InferredTest[];
  profile?: TableProfile;
  problems: Problem[];
}

const KEY_NAME = /^(id|.+_(id|key|sk|pk|uuid))$/i;
/** Text columns that hold free text or personal data, never a closed set of values. */
const FREE_TEXT = /(^|_)(name|email|description|comment|comments|note|notes|url|address|phone|sku|title)$/i;

function isKeyName(column: string, node: DbtNode): boolean {
  const uk = node.config.uniqueKey;
  const keys = (Array.isArray(uk) ? uk : uk ? [uk] : []).map(k => k.toLowerCase());
  return KEY_NAME.test(column) || keys.includes(column.toLowerCase());
}

/** `customer_id` → 'customer'. */
function stemOf(column: string): string {
  return column.toLowerCase().replace(/_(id|key|sk|pk|uuid)$/, '');
}

/** Words of a node name: `stg_shop__customers` → [stg, shop, customers]. */
function words(name: string): string[] {
  return name.toLowerCase().split(/_+/).filter(Boolean);
}

function plurals(stem: string): string[] {
  const last = stem.split('_').pop()!;
  const base = stem.slice(0, stem.length - last.length);
  const forms = [last, `${last}s`, `${last}es`, last.endsWith('y') ? `${last.slice(0, -1)}ies` : ''].filter(Boolean);
  return forms.map(f => base + f);
}

/** True when the node is named after the key's entity (customer_id in dim_customers): it is the node's own key. */
function namesEntity(node: DbtNode, stem: string): boolean {
  const name = words(node.name).join('_');
  return plurals(stem).some(f => name === f || name.endsWith(`_${f}`) || name.includes(`_${f}_`) || name.startsWith(`${f}_`));
}

/** Tests the node already has on a column (YAML on this node, not relationships pointing at it). */
function existingTests(ctx: PlanContext, node: DbtNode, column: string): Set<string> {
  const out = new Set<string>();
  for (const t of ctx.snap.graph.testsCovering(node.uniqueId, column)) {
    if (t.singular || t.viaRelationship) continue;
    out.add(testIdentity(t.testName, t.def?.args));
  }
  for (const c of node.columns) {
    if (c.name.toLowerCase() !== column.toLowerCase()) continue;
    for (const t of c.tests) out.add(testIdentity(t.name, t.args));
  }
  return out;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** The relation of a node in the connected warehouse, or undefined when the catalog does not have it. */
function relationOf(ctx: PlanContext, node: DbtNode, conn: WarehouseConnection): string | undefined {
  const t = ctx.catalogTable(node);
  return t ? relationSql(t, conn.kind) : undefined;
}

/** Profiles the node's relation and proposes the tests the data supports. */
export async function inferTests(ctx: PlanContext, node: DbtNode, opts: TestsOptions): Promise<Inference> {
  const problems: Problem[] = [];
  const conn = opts.connection;
  const table = ctx.catalogTable(node);
  const where = node.yamlLocation?.path ?? node.location?.path ?? '';
  if (!table || !table.columns.length) {
    problems.push({ path: where, severity: 'warning', message: `${node.name} is not in the warehouse catalog (${ctx.snap.catalog?.origin ?? 'no catalog'}), so no tests were inferred from data. Build it (dbt run/seed/snapshot) and refresh.` });
    return { tests: [], problems };
  }
  const relation = relationSql(table, conn.kind);
  let profile: TableProfile;
  try {
    profile = await profileTable(conn, relation, table.columns.map(c => ({ name: c.name, type: c.type })), {
      maxValues: opts.maxValues, signal: opts.signal,
      valueColumns: c => isTextType(c.type) && !isKeyName(c.name, node) && !FREE_TEXT.test(c.name),
    });
  } catch (e) {
    problems.push({ path: where, severity: 'warning', message: `Profiling ${relation} failed (${(e as Error).message}); no tests were inferred from data.` });
    return { tests: [], problems };
  }
  const tests: InferredTest[] = [];
  const rows = profile.rows;
  for (const col of profile.columns) {
    const has = existingTests(ctx, node, col.name);
    const add = (test: TestSpec, evidence: string) => {
      if (!has.has(testIdentity(test.name, test.args))) tests.push({ column: col.name, test, evidence });
    };
    const key = isKeyName(col.name, node);
    // A snapshot keeps one row per version of its key: a key is never unique there.
    const unique = rows >= 2 && col.nulls === 0 && col.distinct === rows && (node.resourceType !== 'snapshot' || /^dbt_scd_id$/i.test(col.name));
    const values = col.values && col.values.length >= 2 && col.values.length <= (opts.maxValues ?? 10) && rows >= col.values.length * 5 ? col.values : undefined;
    if (key && unique) add({ name: 'unique' }, `${fmt(rows)} rows, ${fmt(col.distinct!)} distinct values`);
    if ((key || values) && rows > 0 && col.nulls === 0) add({ name: 'not_null' }, `no nulls in ${fmt(rows)} rows`);
    if (values) {
      const sorted = values.map(v => v.value).sort();
      add({ name: 'accepted_values', args: { values: new FlowList(sorted) } },
        `${values.length} distinct values in ${fmt(rows)} rows: ${values.map(v => `${v.value} (${fmt(v.count)})`).join(', ')}`);
    }
    if (key && !(unique && namesEntity(node, stemOf(col.name))) && stemOf(col.name) !== col.name.toLowerCase() && stemOf(col.name) !== 'id') {
      const rel = await inferRelationship(ctx, node, col.name, relation, profile.queries, opts).catch((e: Error) => {
        problems.push({ path: where, severity: 'warning', message: `Checking relationships of ${node.name}.${col.name} failed: ${e.message}` });
        return undefined;
      });
      if (rel) add(rel.test, rel.evidence);
    }
  }
  return { tests, profile, problems };
}

interface Candidate { node: DbtNode; column: string; score: number }

/** Nodes that own the key `column` names (customers for customer_id), best first. */
function parentCandidates(ctx: PlanContext, node: DbtNode, column: string): Candidate[] {
  const g = ctx.snap.graph;
  const stem = stemOf(column);
  const downstream = new Set(g.downstream(node.uniqueId, Infinity).map(h => h.node.uniqueId));
  const upstream = new Set(g.upstream(node.uniqueId, Infinity).map(h => h.node.uniqueId));
  const folder = (n: DbtNode) => (n.location?.path ?? '').split('/').slice(0, -1).join('/');
  const layer = (n: DbtNode) => (n.location?.path ?? '').split('/').slice(0, 2).join('/');
  // Raw data is checked against raw data: sources, seeds and snapshots only point at sources and seeds.
  const kinds = node.resourceType === 'model' ? ['model', 'seed', 'source'] : ['source', 'seed'];
  const out: Candidate[] = [];
  for (const n of g.nodes()) {
    if (n.uniqueId === node.uniqueId || downstream.has(n.uniqueId) || !kinds.includes(n.resourceType)) continue;
    if (!namesEntity(n, stem)) continue;
    const table = ctx.catalogTable(n);
    const cols = (table?.columns.map(c => c.name) ?? n.columns.map(c => c.name));
    const col = cols.find(c => c.toLowerCase() === column.toLowerCase()) ?? cols.find(c => c.toLowerCase() === 'id');
    if (!col || !table) continue;
    let score = 0;
    if (folder(n) === folder(node)) score += 4;
    else if (layer(n) === layer(node)) score += 2;
    if (n.name.toLowerCase().startsWith('dim_')) score += 3;
    if (upstream.has(n.uniqueId)) score += 2;
    if (n.project === node.project) score += 1;
    if (col.toLowerCase() === column.toLowerCase()) score += 1;
    out.push({ node: n, column: col, score });
  }
  return out.sort((a, b) => b.score - a.score || (a.node.name < b.node.name ? -1 : 1)).slice(0, 3);
}

/** How the YAML names the parent: ref('x'), ref('pkg', 'x') across projects, source('s', 't'). */
function toExpression(n: DbtNode, from: DbtNode): string {
  if (n.resourceType === 'source') return `source('${sourceNameOf(n)}', '${n.name}')`;
  return n.project === from.project ? `ref('${refNameOf(n)}')` : `ref('${n.project}', '${refNameOf(n)}')`;
}

async function inferRelationship(ctx: PlanContext, node: DbtNode, column: string, relation: string, queries: string[], opts: TestsOptions): Promise<{ test: TestSpec; evidence: string } | undefined> {
  for (const cand of parentCandidates(ctx, node, column)) {
    const parentRel = relationOf(ctx, cand.node, opts.connection);
    if (!parentRel) continue;
    const keyTested = ctx.snap.graph.testsCovering(cand.node.uniqueId, cand.column).some(t => !t.viaRelationship && t.testName === 'unique');
    if (!keyTested && !(await isUnique(opts.connection, parentRel, cand.column, queries, opts))) continue;
    const orphans = await countOrphans(opts.connection, { relation, column }, { relation: parentRel, column: cand.column }, queries, opts);
    if (orphans !== 0) continue;
    const to = toExpression(cand.node, node);
    return {
      test: { name: 'relationships', args: { to, field: cand.column } },
      evidence: `every non-null ${column} matches ${cand.node.name}.${cand.column} (anti-join: 0 orphans)`,
    };
  }
  return undefined;
}

/** The inferred tests as column specs for the YAML editor (columns in the profile's order). */
export function testColumnSpecs(tests: InferredTest[]): ColumnSpec[] {
  const by = new Map<string, TestSpec[]>();
  for (const t of tests) by.set(t.column, [...(by.get(t.column) ?? []), t.test]);
  return [...by].map(([name, list]) => ({ name, tests: list }));
}

/** Markdown lines listing the tests and their evidence. */
export function testsExplanation(tests: InferredTest[]): string[] {
  return tests.map(t => `- \`${t.column}\`: **${t.test.name}**${t.test.name === 'relationships' ? ` to \`${String(t.test.args?.to)}\`` : ''} — ${t.evidence}`);
}

/** Proposes generic tests for a model, source, seed or snapshot, inferred from profiling its relation. */
export async function planTests(source: SnapshotSource, nodeIdOrName: string, opts: TestsOptions): Promise<EditPlan> {
  const ctx = await PlanContext.open(source, opts.readFile);
  const plan: EditPlan = { title: `Generate tests for ${nodeIdOrName}`, explanation: '', changes: [], citations: ctx.citations, problems: ctx.problems };
  const node = ctx.resolveNode(nodeIdOrName);
  const target = node && ctx.entryTarget(node);
  const info = node && ctx.info(node);
  if (!node || !target || !info) {
    if (node) ctx.problem(node.location?.path ?? '', `${node.name} is a ${node.resourceType}; tests are generated for models, sources, seeds and snapshots.`);
    return plan;
  }
  plan.title = `Generate tests for ${node.name}`;
  const inference = await inferTests(ctx, node, opts);
  ctx.problems.push(...inference.problems);
  if (node.location) ctx.cite({ path: node.location.path, startLine: node.location.startLine, endLine: node.location.endLine, kind: node.resourceType, nodeId: node.uniqueId, title: node.name });
  const lines: string[] = [];
  if (inference.tests.length) {
    const conv = await ctx.conventions(info);
    const file = await ctx.entryFile(node, conv);
    if (file) {
      const ed = await ctx.editor(file.path, conv);
      const r = ed.upsert(target, { name: node.name, columns: testColumnSpecs(inference.tests) }, ctx.editOptions(conv, ed.text, { columnOrder: inference.profile?.columns.map(c => c.name) }));
      const added = new Set(r.addedTests.map(t => `${t.column}|${t.test}`));
      const kept = inference.tests.filter(t => added.has(`${t.column}|${t.test.name}`));
      lines.push(`Tests for ${describeTarget(target)} in \`${file.path}\` (${file.reason}; \`${ctx.editOptions(conv, ed.text).testsKey}:\` because ${conv.testsKeyReason}):`, '', ...testsExplanation(kept));
      if (r.createdEntry) lines.push('', `The entry did not exist yet: it was added following the project's convention.`);
    } else {
      ctx.problem(node.yamlLocation?.path ?? node.location?.path ?? '', `The YAML entry of ${describeTarget(target)} could not be read or found; fix the file (or refresh the workspace) and retry.`);
    }
  } else {
    lines.push(`No new test is supported by the data of ${node.name} (or it has them already).`);
  }
  if (inference.profile) lines.push('', `Profiled ${inference.profile.relation} (${fmt(inference.profile.rows)} rows) with ${inference.profile.queries.length} read-only queries.`);
  plan.explanation = lines.join('\n');
  plan.changes = await ctx.changes();
  plan.problems.push(...await validatePlan(plan, ctx.snap, ctx.read));
  return plan;
}
