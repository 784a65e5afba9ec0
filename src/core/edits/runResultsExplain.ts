// Explaining one failure from run_results.json: what failed, what it covers, the SQL to look at the failing rows,
// and — where the fix is deterministic — a plan. Data-backed when a read-only query runner is given.
import { isMap, isScalar, isSeq, type Scalar, type YAMLSeq } from 'yaml';
import type { Citation, DbtNode, TestDef } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { refNameOf, sourceNameOf } from '../dbt/graph-node';
import { genericInfoOf } from '../dbt/graph-tests';
import { similarity } from '../sql/identifiers';
import { quoteIdent } from '../warehouse/relations';
import type { EditPlan, TextEdit } from './types';
import { lineAt, modifyChange, newPlan, nodeCitation, PlanFiles, problem, type EditEngine, type PlanOptions } from './refactorContext';
import { catalogTableOf, knownColumns } from './refactorCatalog';
import { readYaml } from './refactorYaml';
import { validateInto } from './refactorValidate';
import { tieToProject, type Failure, type RunResultEntry, type RunResults } from './runResults';

export interface QueryRows {
  columns: string[];
  rows: unknown[][];
}

/** Runs one read-only statement on the warehouse (the caller's guarded connection). */
export type QueryRunner = (sql: string) => Promise<QueryRows>;

export interface ExplainFailureOptions extends PlanOptions {
  query?: QueryRunner;
  /** The whole run: names the upstream failure behind a skipped node. */
  run?: RunResults;
}

export interface DiagnosticQuery {
  purpose: string;
  sql: string;
  /** What it returned, when it was run. */
  result?: QueryRows;
  error?: string;
}

export interface FailureExplanation {
  markdown: string;
  citations: Citation[];
  queries: DiagnosticQuery[];
  /** A proposed change, when one follows from the facts (validated; flagged when it needs human judgement). */
  plan?: EditPlan;
  needsJudgement: boolean;
}

interface Ctx {
  snap: WorkspaceSnapshot;
  files: PlanFiles;
  f: Failure;
  opts: ExplainFailureOptions;
  lines: string[];
  cites: Citation[];
  queries: DiagnosticQuery[];
}

export async function explainFailure(engine: EditEngine, failure: Failure | RunResultEntry, opts: ExplainFailureOptions = {}): Promise<FailureExplanation> {
  const snap = await engine.snapshot();
  const f = 'result' in failure ? failure : tieToProject(snap, failure);
  const ctx: Ctx = { snap, files: new PlanFiles(snap.root, opts.readFile), f, opts, lines: [], cites: [], queries: [] };
  const r = f.result;
  const what = f.node ? `${r.resourceType} \`${f.node.name}\`` : `\`${r.uniqueId}\``;
  ctx.lines.push(`**${what} — ${r.status}**${r.failures ? ` (${r.failures} failing row${r.failures === 1 ? '' : 's'})` : ''}`, '');
  if (r.message) ctx.lines.push('```text', r.message.trim(), '```', '');
  if (f.node) cite(ctx, f.node);
  if (f.compiledPath) {
    ctx.lines.push(`Compiled SQL: \`${f.compiledPath}\`${f.compiledExists ? '' : ' (not on disk now: `dbt compile` writes it)'}.`);
    if (f.compiledExists) addCite(ctx, { path: f.compiledPath, kind: 'compiled_sql', title: 'compiled SQL' });
  }
  let plan: EditPlan | undefined;
  let judgement = false;
  if (r.status === 'skipped') skipped(ctx);
  else if (r.resourceType === 'test' && r.status !== 'error' && r.status !== 'runtime error') ({ plan, judgement } = await testFailure(ctx));
  else {
    if (r.resourceType === 'test' && f.reads.length) ctx.lines.push(`The test reads ${f.reads.map(n => `\`${n.name}\``).join(', ')}; its SQL could not run.`);
    modelError(ctx);
  }
  for (const q of ctx.queries) {
    if (!opts.query || q.result || q.error) continue;
    try { q.result = await opts.query(q.sql); } catch (e) { q.error = (e as Error).message.split('\n')[0]; }
  }
  renderQueries(ctx);
  if (plan) {
    ctx.lines.push('', `**Proposed change:** ${plan.title}.${judgement ? ' *Needs human judgement* — accept it only if the new data is legitimate, not a bug upstream.' : ''}`);
  }
  return { markdown: ctx.lines.join('\n').trim(), citations: ctx.cites, queries: ctx.queries, plan, needsJudgement: judgement };
}

/** Adds a citation once; returns its 1-based [n]. */
function addCite(ctx: Ctx, c: Citation): number {
  const at = ctx.cites.findIndex(x => x.path === c.path && x.startLine === c.startLine && x.nodeId === c.nodeId);
  if (at >= 0) return at + 1;
  ctx.cites.push(c);
  return ctx.cites.length;
}

function cite(ctx: Ctx, n: DbtNode): void {
  const c = nodeCitation(n);
  ctx.lines.push(`Defined in \`${c.path}${c.startLine ? `:${c.startLine}` : ''}\` [${addCite(ctx, c)}].`);
}

// ---------------------------------------------------------------- relations for the SQL

/** `"db"."schema"."table"` from the catalog, else the run's relation_name, else `{{ ref() }}` for `dbt show --inline`. */
function relationSql(ctx: Ctx, n: DbtNode): { sql: string; jinja: boolean } {
  const t = catalogTableOf(ctx.snap, n);
  if (t) return { sql: [t.database, t.schema, t.name].filter(Boolean).map(quoteIdent).join('.'), jinja: false };
  const built = ctx.opts.run?.results.find(x => x.uniqueId === n.uniqueId)?.relationName;
  if (built) return { sql: built, jinja: false };
  return jinjaRelation(n);
}

function jinjaRelation(n: DbtNode): { sql: string; jinja: boolean } {
  return { sql: n.resourceType === 'source' ? `{{ source('${sourceNameOf(n)}', '${n.name}') }}` : `{{ ref('${refNameOf(n)}') }}`, jinja: true };
}

function col(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : quoteIdent(name);
}

function literal(v: unknown): string {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
}

// ---------------------------------------------------------------- tests

function testDef(f: Failure): TestDef | undefined {
  return f.node ? genericInfoOf(f.node).def : undefined;
}

function argsOf(def: TestDef | undefined): Record<string, unknown> {
  const a = def?.args ?? {};
  const nested = a.arguments && typeof a.arguments === 'object' ? (a.arguments as Record<string, unknown>) : {};
  return { ...a, ...nested };
}

async function testFailure(ctx: Ctx): Promise<{ plan?: EditPlan; judgement: boolean }> {
  const { f } = ctx;
  const covers = f.covers;
  if (covers) ctx.lines.push(`It tests ${f.column ? `column \`${f.column}\` of ` : ''}${covers.resourceType} \`${covers.name}\` [${addCite(ctx, nodeCitation(covers))}].`);
  const def = testDef(f);
  if (def?.location && !(def.location.path === f.node?.location?.path && def.location.startLine === f.node?.location?.startLine)) addCite(ctx, { path: def.location.path, startLine: def.location.startLine, endLine: def.location.endLine, kind: 'test', title: `${f.testName} test` });
  const name = (f.testName ?? '').replace(/^dbt_utils\./, '');
  if (!covers && f.reads.length) ctx.lines.push(`It reads ${f.reads.map(n => `\`${n.name}\``).join(', ')}.`);
  if (!covers || !f.column) {
    ctx.lines.push('', f.result.compiledCode ? 'The test returns the rows that break it: run its compiled SQL to see them.' : 'Run `dbt test --select ' + (f.node?.name ?? '') + ' --store-failures` to keep the failing rows in a table.');
    if (f.result.compiledCode) ctx.queries.push({ purpose: 'the failing rows (the test\'s own compiled SQL)', sql: f.result.compiledCode.trim() });
    return { judgement: false };
  }
  const rel = relationSql(ctx, covers);
  const c = col(f.column);
  const args = argsOf(def);
  switch (name) {
    case 'accepted_values': {
      const values = Array.isArray(args.values) ? args.values : [];
      ctx.lines.push('', `\`${f.column}\` has values outside the accepted list (${values.map(v => `\`${String(v)}\``).join(', ')}). Either a new legitimate value appeared (accept it) or bad data arrived (fix it upstream).`);
      ctx.queries.push({ purpose: 'values outside the accepted list', sql: `select ${c} as value, count(*) as n_records\nfrom ${rel.sql}\nwhere ${c} not in (${values.map(literal).join(', ') || 'null'})\ngroup by 1\norder by 2 desc` });
      return { plan: await acceptValuesPlan(ctx, values), judgement: true };
    }
    case 'relationships': {
      const to = def?.to;
      const parent = to ? ('source' in to ? ctx.snap.graph.nodes().find(n => n.resourceType === 'source' && sourceNameOf(n) === to.source && n.name === to.table)
        : ctx.snap.graph.nodes().find(n => ['model', 'seed', 'snapshot'].includes(n.resourceType) && refNameOf(n) === to.name)) : undefined;
      const field = String(args.field ?? f.column);
      if (!parent) { ctx.lines.push('', `The parent of the relationship (${String(args.to)}) is not in the project.`); return { judgement: false }; }
      const parentCite = addCite(ctx, nodeCitation(parent));
      let p = relationSql(ctx, parent);
      let child = rel;
      if (p.jinja !== child.jinja) { p = jinjaRelation(parent); child = jinjaRelation(covers); } // one form for both sides
      ctx.lines.push('', `Some \`${covers.name}.${f.column}\` values have no matching \`${parent.name}.${field}\` [${parentCite}]: orphans. Usually the parent is missing rows (loaded later, filtered out) or the child carries bad keys.`);
      const join = `from ${child.sql} as child\nleft join ${p.sql} as parent\n    on child.${c} = parent.${col(field)}\nwhere child.${c} is not null\n  and parent.${col(field)} is null`;
      ctx.queries.push({ purpose: 'how many orphans there are now', sql: `select count(*) as orphans\n${join}` });
      ctx.queries.push({ purpose: 'the orphan keys', sql: `select child.${c} as orphan_key, count(*) as n_records\n${join}\ngroup by 1\norder by 2 desc\nlimit 20` });
      return { judgement: false };
    }
    case 'unique':
      ctx.lines.push('', `\`${f.column}\` is not unique in \`${covers.name}\`: a join upstream may fan out, or the source sends duplicates.`);
      ctx.queries.push({ purpose: 'the duplicated keys', sql: `select ${c}, count(*) as n_records\nfrom ${rel.sql}\ngroup by 1\nhaving count(*) > 1\norder by 2 desc\nlimit 20` });
      return { judgement: false };
    case 'not_null':
      ctx.lines.push('', `\`${f.column}\` has nulls in \`${covers.name}\`: a left join that found no match, or missing data at the source.`);
      ctx.queries.push({ purpose: 'how many rows are null', sql: `select count(*) as null_rows\nfrom ${rel.sql}\nwhere ${c} is null` });
      return { judgement: false };
    default:
      if (f.result.compiledCode) ctx.queries.push({ purpose: 'the failing rows (the test\'s own compiled SQL)', sql: f.result.compiledCode.trim() });
      return { judgement: false };
  }
}

/** Adds the values the data has but the list lacks to the test's `values:` list, in the list's own style. */
async function acceptValuesPlan(ctx: Ctx, values: unknown[]): Promise<EditPlan | undefined> {
  const q = ctx.queries[ctx.queries.length - 1];
  if (!ctx.opts.query) return undefined;
  try { q.result = await ctx.opts.query(q.sql); } catch (e) { q.error = (e as Error).message.split('\n')[0]; return undefined; }
  const fresh = q.result.rows.map(r => r[0]).filter(v => v !== null && v !== undefined && !values.some(x => String(x) === String(v)));
  const loc = testDef(ctx.f)?.location;
  if (!fresh.length || !loc) return undefined;
  const text = await ctx.files.text(loc.path);
  if (text === undefined) return undefined;
  const seq = valuesSeq(text, loc.startLine, loc.endLine);
  if (!seq) return undefined;
  const edit = appendToSeq(text, seq, fresh);
  if (!edit) return undefined;
  const plan = newPlan(`Accept ${fresh.map(v => `'${String(v)}'`).join(', ')} in the accepted_values test of ${ctx.f.covers!.name}.${ctx.f.column}`);
  plan.changes.push(modifyChange(loc.path, text, [edit]));
  plan.citations.push({ path: loc.path, startLine: loc.startLine, endLine: loc.endLine, kind: 'test', title: 'accepted_values test' }, nodeCitation(ctx.f.covers!));
  const counts = q.result.rows.map(r => `\`${String(r[0])}\`: ${String(r[1])} rows`).join(', ');
  plan.explanation = `The data now has ${counts} outside the accepted list. Adding ${fresh.length === 1 ? 'it' : 'them'} makes the test pass — ` +
    'right only if these are legitimate new values (a new status, a new channel); if they are bad data, fix the source instead.';
  plan.problems.push(problem(loc.path, 'Needs human judgement: is the new value legitimate, or bad data to fix upstream?', 'warning', lineAt(text, edit.start)));
  await validateInto(ctx.snap, plan, ctx.files);
  return plan;
}

/** The `values:` list of an accepted_values test within the given lines. */
function valuesSeq(text: string, startLine: number, endLine: number): YAMLSeq | undefined {
  const { docs, error } = readYaml(text);
  if (error) return undefined;
  let found: YAMLSeq | undefined;
  const visit = (n: unknown): void => {
    if (found) return;
    if (isMap(n)) {
      for (const p of n.items) {
        if (isScalar(p.key) && p.key.value === 'values' && isSeq(p.value) && p.value.range) {
          const line = lineAt(text, p.value.range[0]);
          if (line >= startLine && line <= endLine) { found = p.value; return; }
        }
        visit(p.value);
      }
    } else if (isSeq(n)) n.items.forEach(visit);
  };
  for (const d of docs) visit(d.contents);
  return found;
}

function appendToSeq(text: string, seq: YAMLSeq, values: unknown[]): TextEdit | undefined {
  const items = seq.items.filter(isScalar) as Scalar[];
  const last = items[items.length - 1];
  if (!last?.range) return undefined;
  const raw = text.slice(last.range[0], last.range[1]);
  const quote = raw.startsWith("'") ? "'" : raw.startsWith('"') ? '"' : '';
  const fmt = (v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v)
    : quote === '"' ? JSON.stringify(String(v)) : `'${String(v).replace(/'/g, "''")}'`);
  if (seq.flow) return { start: last.range[1], end: last.range[1], newText: values.map(v => `, ${fmt(v)}`).join('') };
  const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
  const prefix = text.slice(lineStart, last.range[0]);
  const lineEnd = text.indexOf('\n', last.range[1]);
  const at = lineEnd < 0 ? text.length : lineEnd;
  return { start: at, end: at, newText: values.map(v => `\n${prefix}${fmt(v)}`).join('') };
}

// ---------------------------------------------------------------- models and skips

function modelError(ctx: Ctx): void {
  const { f } = ctx;
  const msg = f.result.message ?? '';
  const node = f.node;
  const missingCol = /Referenced column "?([^"\s]+)"? not found|column "?([^"\s]+)"? does not exist|invalid identifier '?"?([^'"\s]+)/i.exec(msg);
  const missingTable = /Table with name "?([^"\s]+)"? does not exist|relation "?([^"\s]+)"? does not exist|Object '?"?([^'"\s]+)"?'? does not exist/i.exec(msg);
  const line = /\bLINE (\d+)|line (\d+)/i.exec(msg);
  if (line) ctx.lines.push('', `The database points at line ${line[1] ?? line[2]} of the compiled SQL.`);
  if (missingCol && node) {
    const name = (missingCol[1] ?? missingCol[2] ?? missingCol[3]).replace(/^.*\./, '');
    const upstream = ctx.snap.graph.upstream(node.uniqueId, 1).map(h => h.node);
    const near: { n: DbtNode; c: string; s: number }[] = [];
    for (const u of upstream) for (const c of knownColumns(ctx.snap, u) ?? []) {
      const s = similarity(name, c);
      if (s >= 0.5) near.push({ n: u, c, s });
    }
    near.sort((a, b) => b.s - a.s);
    ctx.lines.push('', `The SQL reads a column \`${name}\` that its inputs do not have.` +
      (near.length ? ` Close names upstream: ${near.slice(0, 3).map(x => `\`${x.n.name}.${x.c}\``).join(', ')} — an upstream rename is the usual cause.` : ''));
    const rawLines = (node.rawCode ?? '').split('\n');
    const uses = rawLines.map((l, i) => (new RegExp(`\\b${name.replace(/[^\w]/g, '')}\\b`, 'i').test(l) ? i + 1 : 0)).filter(Boolean);
    if (uses.length && node.location) {
      const n = addCite(ctx, { path: node.location.path, startLine: uses[0], endLine: uses[0], kind: 'model', nodeId: node.uniqueId, title: node.name });
      ctx.lines.push(`It is used on line${uses.length === 1 ? '' : 's'} ${uses.slice(0, 5).join(', ')} of \`${node.location.path}\` [${n}].`);
    }
    for (const x of near.slice(0, 3)) addCite(ctx, nodeCitation(x.n));
  } else if (missingTable) {
    ctx.lines.push('', `A relation it reads (\`${missingTable[1] ?? missingTable[2] ?? missingTable[3]}\`) does not exist in the warehouse: build the parents first (\`dbt build --select +${node?.name ?? ''}\`), or check for a hard-coded name that should be a ref().`);
  } else if (/compilation error/i.test(msg)) {
    ctx.lines.push('', 'dbt could not render the Jinja: check the ref()/source() names and macro arguments around the line it names.');
  }
}

function skipped(ctx: Ctx): void {
  const node = ctx.f.node;
  const run = ctx.opts.run;
  if (!node || !run) { ctx.lines.push('', 'Skipped: something it depends on failed earlier in the same run.'); return; }
  const failed = new Set(run.results.filter(r => r.status === 'error' || r.status === 'fail').map(r => r.uniqueId));
  const culprits = ctx.snap.graph.upstream(node.uniqueId, Infinity, { includeTests: true }).map(h => h.node).filter(n => failed.has(n.uniqueId));
  ctx.lines.push('', culprits.length
    ? `Skipped because ${culprits.map(c => `${c.resourceType} \`${c.name}\``).join(', ')} failed upstream in the same run: fix ${culprits.length === 1 ? 'that' : 'those'} first.`
    : 'Skipped: something it depends on failed earlier in the same run.');
  for (const c of culprits.slice(0, 3)) addCite(ctx, nodeCitation(c));
}

function renderQueries(ctx: Ctx): void {
  if (!ctx.queries.length) return;
  ctx.lines.push('', '**To look at the data:**');
  for (const q of ctx.queries) {
    const jinja = q.sql.includes('{{');
    ctx.lines.push('', `${q.purpose}${jinja ? ' (run with `dbt show --inline`)' : ''}:`, '```sql', q.sql, '```');
    if (q.result) {
      const rows = q.result.rows.slice(0, 10);
      ctx.lines.push(rows.length ? `Now: ${rows.map(r => r.map(v => String(v)).join(' | ')).join('; ')}` : 'Now: no rows — the data may have been fixed since the run.');
    } else if (q.error) ctx.lines.push(`Could not run it: ${q.error}`);
  }
}
