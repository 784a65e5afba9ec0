// `dea eval --suite analytics`: the analytics evaluation harness. Every case of a YAML file (default
// examples/analytics-eval.yaml) has a question, a ground-truth SQL statement and assertions. The runner first runs
// each ground-truth statement (through the SQL guard, like any query) and checks it against its own assertions,
// which validates the case; then, when a model is configured, asks the analytics agent and checks the same
// assertions against the agent's final result rows and answer text. Prints accuracy per case and overall.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Engine } from '../core/engine';
import type { ChatModel } from '../core/llm/types';
import type { Problem } from '../core/types';
import type { QueryResult, WarehouseConnection } from '../core/warehouse/connection';
import { runAgent, type AgentContext } from '../core/agent/agent';
import { guardSql } from '../core/agent/sqlSafety';
import type { SqlDialect } from '../core/agent/tools/tool';
import { flagNumber, flagString, type ParsedArgs } from './args';
import { openAgentWarehouse } from './askAgent';
import { withEngine } from './commands';
import { ensureExampleWarehouse } from './demo';
import { exampleWorkspace, packageRoot } from './paths';

// ---------------------------------------------------------------- cases and assertions

export type Assertion =
  | { number: number }
  | { approx: { value: number; tolerance: number } }
  | { rowCount: number }
  | { containsAll: string[] }
  | { containsAny: string[] }
  | { ordered: string[] };

export interface AnalyticsCase {
  id: string;
  question: string;
  sql: string;
  assert: Assertion[];
}

/** What an assertion is checked against: result rows and, for agent answers, the answer text. */
export interface Observation {
  columns: string[];
  rows: unknown[][];
  text?: string;
}

export interface AssertionResult {
  assertion: string;
  ok: boolean;
  detail?: string;
}

/** Reads the cases; a malformed case becomes a Problem and is skipped, the others still run. */
export function loadAnalyticsCases(file: string): { cases: AnalyticsCase[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const rel = path.basename(file);
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { cases: [], problems: [{ path: rel, message: `cannot read the cases: ${e instanceof Error ? e.message : String(e)}`, severity: 'error' }] };
  }
  const list = Array.isArray(doc) ? doc : (doc as { cases?: unknown })?.cases;
  if (!Array.isArray(list)) return { cases: [], problems: [{ path: rel, message: 'expected a `cases:` list', severity: 'error' }] };
  const cases: AnalyticsCase[] = [];
  list.forEach((raw, i) => {
    const c = raw as Partial<AnalyticsCase> | null;
    const where = `case ${i + 1}${c?.id ? ` (${c.id})` : ''}`;
    const bad = (message: string) => problems.push({ path: rel, message: `${where}: ${message}`, severity: 'error' });
    if (!c || typeof c !== 'object') return bad('not a mapping');
    if (typeof c.id !== 'string' || typeof c.question !== 'string' || typeof c.sql !== 'string') return bad('needs id, question and sql');
    if (!Array.isArray(c.assert) || !c.assert.length) return bad('needs at least one assertion under `assert`');
    const invalid = c.assert.map(assertionProblem).find(Boolean);
    if (invalid) return bad(invalid);
    cases.push({ id: c.id, question: c.question, sql: c.sql, assert: c.assert as Assertion[] });
  });
  return { cases, problems };
}

function assertionProblem(a: unknown): string | undefined {
  if (!a || typeof a !== 'object') return 'an assertion must be a mapping';
  const o = a as Record<string, unknown>;
  const key = Object.keys(o)[0];
  const v = o[key];
  const strings = (x: unknown) => Array.isArray(x) && x.length > 0 && x.every(s => typeof s === 'string' || typeof s === 'number');
  switch (key) {
    case 'number': case 'rowCount': return typeof v === 'number' ? undefined : `${key} needs a number`;
    case 'approx': {
      const x = v as { value?: unknown; tolerance?: unknown } | null;
      return x && typeof x.value === 'number' && typeof x.tolerance === 'number' ? undefined : 'approx needs { value, tolerance }';
    }
    case 'containsAll': case 'containsAny': case 'ordered': return strings(v) ? undefined : `${key} needs a list of strings`;
    default: return `unknown assertion "${key}" (number, approx, rowCount, containsAll, containsAny, ordered)`;
  }
}

export function checkAssertions(assertions: Assertion[], obs: Observation): AssertionResult[] {
  return assertions.map(a => checkOne(a, obs));
}

function checkOne(a: Assertion, obs: Observation): AssertionResult {
  const name = JSON.stringify(a);
  const cells = obs.rows.flat();
  const numbers = [...cells.map(toNumber).filter((n): n is number => n !== undefined), ...numbersIn(obs.text ?? '')];
  const haystack = [...cells.map(cellString), obs.text ?? ''].join('\n').toLowerCase();
  if ('number' in a) {
    const ok = numbers.some(n => sameAtPrecision(n, a.number));
    return { assertion: name, ok, detail: ok ? undefined : `no value equal to ${a.number}` };
  }
  if ('approx' in a) {
    const { value, tolerance } = a.approx;
    const best = closest(numbers, value);
    const ok = best !== undefined && Math.abs(best - value) <= Math.abs(value) * tolerance;
    return { assertion: name, ok, detail: ok ? undefined : `closest value ${best ?? 'none'}, wanted ${value} ± ${(tolerance * 100).toFixed(1)}%` };
  }
  if ('rowCount' in a) {
    const ok = obs.rows.length === a.rowCount;
    return { assertion: name, ok, detail: ok ? undefined : `${obs.rows.length} rows, wanted ${a.rowCount}` };
  }
  if ('containsAll' in a) {
    const missing = a.containsAll.filter(s => !haystack.includes(String(s).toLowerCase()));
    return { assertion: name, ok: !missing.length, detail: missing.length ? `missing ${missing.join(', ')}` : undefined };
  }
  if ('containsAny' in a) {
    const ok = a.containsAny.some(s => haystack.includes(String(s).toLowerCase()));
    return { assertion: name, ok, detail: ok ? undefined : `none of ${a.containsAny.join(', ')}` };
  }
  const positions = a.ordered.map(s => rowOf(obs.rows, String(s)));
  const ok = positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]));
  return { assertion: name, ok, detail: ok ? undefined : `rows ${positions.map((p, i) => `${a.ordered[i]}@${p < 0 ? 'missing' : p}`).join(', ')}` };
}

/** The first row with a cell equal to `s` (case-insensitive), else the first with a cell containing it; -1 if none. */
function rowOf(rows: unknown[][], s: string): number {
  const want = s.toLowerCase();
  const eq = rows.findIndex(r => r.some(c => cellString(c).toLowerCase().trim() === want));
  return eq >= 0 ? eq : rows.findIndex(r => r.some(c => cellString(c).toLowerCase().includes(want)));
}

function cellString(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** Numbers written in prose: "$133,392.20", "1,430", "2288.2". */
function numbersIn(text: string): number[] {
  return (text.match(/-?\d[\d,]*(\.\d+)?/g) ?? []).map(s => Number(s.replace(/,/g, ''))).filter(Number.isFinite);
}

/** Equal once `n` is rounded to as many decimals as `want` is written with. */
function sameAtPrecision(n: number, want: number): boolean {
  const decimals = (String(want).split('.')[1] ?? '').length;
  const f = 10 ** decimals;
  return Math.abs(Math.round(n * f) / f - want) < 1e-9 * Math.max(1, Math.abs(want));
}

function closest(numbers: number[], value: number): number | undefined {
  let best: number | undefined;
  for (const n of numbers) if (best === undefined || Math.abs(n - value) < Math.abs(best - value)) best = n;
  return best;
}

// ---------------------------------------------------------------- running

export interface CaseReport {
  id: string;
  question: string;
  truth: { ok: boolean; results: AssertionResult[]; rows: number; error?: string };
  agent?: { ok: boolean; passed: number; total: number; results: AssertionResult[]; sql?: string; steps?: number; error?: string };
}

export interface AnalyticsReport {
  cases: CaseReport[];
  /** Ground-truth cases whose SQL passed its own assertions. */
  truthPassed: number;
  /** Cases the agent fully passed, over all cases; undefined without a model. */
  accuracy?: number;
  model?: string;
  problems: Problem[];
}

export interface AnalyticsEvalContext {
  /** Connection for the ground-truth statements (closed by the caller). */
  connection: WarehouseConnection;
  dialect: SqlDialect;
  /** The agent's context; without it only the ground truth runs. */
  agent?: AgentContext;
  maxRows?: number;
  timeoutMs?: number;
  onCase?: (r: CaseReport) => void;
}

export async function runAnalyticsEval(cases: AnalyticsCase[], ctx: AnalyticsEvalContext): Promise<Omit<AnalyticsReport, 'problems'>> {
  const reports: CaseReport[] = [];
  for (const c of cases) {
    const report: CaseReport = { id: c.id, question: c.question, truth: await runTruth(c, ctx) };
    if (ctx.agent) report.agent = await runAgentCase(c, ctx.agent, ctx);
    reports.push(report);
    ctx.onCase?.(report);
  }
  const truthPassed = reports.filter(r => r.truth.ok).length;
  const accuracy = ctx.agent ? reports.filter(r => r.agent?.ok).length / Math.max(1, reports.length) : undefined;
  return { cases: reports, truthPassed, accuracy, model: ctx.agent?.model.id };
}

async function runTruth(c: AnalyticsCase, ctx: AnalyticsEvalContext): Promise<CaseReport['truth']> {
  const guarded = await guardSql(c.sql, ctx.dialect);
  if (!guarded.ok) return { ok: false, results: [], rows: 0, error: `the ground-truth SQL was refused: ${guarded.reason}` };
  let result: QueryResult;
  try {
    result = await ctx.connection.query(guarded.statement, { maxRows: ctx.maxRows ?? 1000, timeoutMs: ctx.timeoutMs ?? 30_000 });
  } catch (e) {
    return { ok: false, results: [], rows: 0, error: `the ground-truth SQL failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const results = checkAssertions(c.assert, { columns: result.columns.map(x => x.name), rows: result.rows });
  return { ok: results.every(r => r.ok), results, rows: result.rows.length };
}

async function runAgentCase(c: AnalyticsCase, agent: AgentContext, ctx: AnalyticsEvalContext): Promise<CaseReport['agent']> {
  try {
    const a = await runAgent(c.question, agent, { maxRows: ctx.maxRows ?? 200, timeoutMs: ctx.timeoutMs });
    const rows = a.result?.rows ?? [];
    const results = checkAssertions(c.assert, { columns: a.result?.columns.map(x => x.name) ?? [], rows, text: a.answer });
    const passed = results.filter(r => r.ok).length;
    return { ok: passed === results.length, passed, total: results.length, results, sql: a.sql, steps: a.steps };
  } catch (e) {
    return { ok: false, passed: 0, total: c.assert.length, results: [], error: e instanceof Error ? e.message : String(e) };
  }
}

// ---------------------------------------------------------------- command

export interface AnalyticsEvalOutcome {
  report: AnalyticsReport;
  code: number;
}

/** Runs the analytics suite on the workspace (default: the bundled example, its warehouse built first). */
export async function analyticsEval(args: ParsedArgs, model: ChatModel | undefined, print: (s: string) => void): Promise<AnalyticsEvalOutcome> {
  const file = path.resolve(flagString(args, 'cases') ?? path.join(packageRoot(), 'examples', 'analytics-eval.yaml'));
  if (!args.flags.workspace) {
    args.flags.workspace = exampleWorkspace();
    await ensureExampleWarehouse(exampleWorkspace());
  }
  const { cases, problems } = loadAnalyticsCases(file);
  for (const p of problems) print(`! ${p.path}: ${p.message}\n`);
  const outcome = await withEngine(args, async engine => runOnEngine(engine, cases, args, model, print), true);
  const report = { ...outcome, problems };
  const min = Number(flagString(args, 'min-accuracy') ?? 0);
  const failedTruth = report.truthPassed < cases.length || problems.length > 0 || !cases.length;
  const lowAccuracy = report.accuracy !== undefined && report.accuracy < min;
  return { report, code: failedTruth || lowAccuracy ? 1 : 0 };
}

async function runOnEngine(engine: Engine, cases: AnalyticsCase[], args: ParsedArgs, model: ChatModel | undefined, print: (s: string) => void): Promise<Omit<AnalyticsReport, 'problems'>> {
  const wh = await openAgentWarehouse(engine);
  if (!wh) throw new Error(`no warehouse is configured for ${engine.opts.workspace}: the analytics suite needs one (profiles.yml target or --duckdb).`);
  const connection = await wh.open();
  const json = !!args.flags.json;
  if (!json) {
    print(model ? `Analytics suite: ${cases.length} cases, ground truth and the agent with ${model.id}\n`
      : `Analytics suite: ${cases.length} cases — no model configured (set DEA_LLM_MODEL, OPENAI_BASE_URL, OPENAI_API_KEY or --model): ground-truth validation only\n`);
  }
  try {
    const agent: AgentContext | undefined = model ? { engine, model, openConnection: wh.open, dialect: wh.dialect } : undefined;
    const report = await runAnalyticsEval(cases, {
      connection, dialect: wh.dialect, agent, maxRows: flagNumber(args, 'max-rows', 200),
      onCase: json ? undefined : r => print(caseLine(r)),
    });
    if (!json) print(summaryLine(report, cases.length));
    return report;
  } finally {
    await connection.close();
  }
}

function caseLine(r: CaseReport): string {
  const truth = r.truth.ok ? 'truth ✓' : `truth ✗ (${r.truth.error ?? failures(r.truth.results)})`;
  if (!r.agent) return `${r.truth.ok ? '✓' : '✗'} ${r.id.padEnd(26)} ${truth}\n`;
  const a = r.agent;
  const acc = a.total ? a.passed / a.total : 0;
  const detail = a.error ? `  error: ${a.error}` : a.ok ? '' : `  ${failures(a.results)}`;
  return `${a.ok ? '✓' : acc > 0 ? '~' : '✗'} ${r.id.padEnd(26)} ${truth}  agent ${a.passed}/${a.total} (${acc.toFixed(2)})${a.steps ? `, ${a.steps} steps` : ''}${detail}\n`;
}

function failures(results: AssertionResult[]): string {
  return results.filter(x => !x.ok).map(x => `${x.assertion}: ${x.detail}`).join('; ');
}

function summaryLine(r: Omit<AnalyticsReport, 'problems'>, total: number): string {
  const truth = `ground truth: ${r.truthPassed}/${total} cases validated`;
  return r.accuracy === undefined ? `\n${truth}; agent not run (no model configured)\n`
    : `\n${truth}; agent accuracy ${r.cases.filter(c => c.agent?.ok).length}/${total} = ${r.accuracy.toFixed(3)} (${r.model})\n`;
}
