// Reading dbt's target/run_results.json (schema v4–v6: dbt 1.5–1.10) into failures tied to the project: which
// test or model failed, its message, the compiled SQL file, and the model/source and column a test covers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DbtNode, Problem } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { genericInfoOf } from '../dbt/graph-tests';
import { sourceKeyOf } from '../dbt/graph-node';
import { PlanFiles, type EditEngine, type PlanOptions } from './refactorContext';

export interface RunResultEntry {
  uniqueId: string;
  /** success, error, skipped, pass, fail, warn, runtime error, no-op, ... as dbt wrote it. */
  status: string;
  resourceType: string;
  message?: string;
  /** Failing rows of a test. */
  failures?: number;
  executionTime?: number;
  /** dbt 1.6+ (schema v5+). */
  compiledCode?: string;
  relationName?: string;
  threadId?: string;
  adapterResponse?: Record<string, unknown>;
  completedAt?: string;
}

export interface RunResults {
  path: string;
  schemaVersion?: string;
  dbtVersion?: string;
  generatedAt?: string;
  invocationId?: string;
  /** build, run, test, seed, ... */
  command?: string;
  elapsedTime?: number;
  results: RunResultEntry[];
  problems: Problem[];
}

const FAILED = new Set(['error', 'fail', 'warn', 'runtime error', 'skipped']);

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Parses the file's text; a malformed file or entry becomes a problem, never an exception. */
export function parseRunResults(text: string, filePath = 'target/run_results.json'): RunResults {
  const out: RunResults = { path: filePath, results: [], problems: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    out.problems.push({ path: filePath, severity: 'error', message: `run_results.json is not valid JSON (${(e as Error).message}); re-run dbt to write it again.` });
    return out;
  }
  const root = obj(json);
  const meta = obj(root?.metadata);
  out.schemaVersion = str(meta?.dbt_schema_version);
  out.dbtVersion = str(meta?.dbt_version);
  out.generatedAt = str(meta?.generated_at);
  out.invocationId = str(meta?.invocation_id);
  out.command = str(obj(root?.args)?.which);
  out.elapsedTime = num(root?.elapsed_time);
  if (!root || !Array.isArray(root.results)) {
    out.problems.push({ path: filePath, severity: 'error', message: 'run_results.json has no `results` list: is it a dbt run_results file?' });
    return out;
  }
  const version = /run-results\/v(\d+)/.exec(out.schemaVersion ?? '')?.[1];
  if (version && (Number(version) < 4 || Number(version) > 6)) {
    out.problems.push({ path: filePath, severity: 'warning', message: `run_results schema v${version} is outside v4–v6 (dbt 1.5–1.10); fields may be missed.` });
  }
  root.results.forEach((r, i) => {
    const e = obj(r);
    const uniqueId = str(e?.unique_id);
    const status = str(e?.status);
    if (!e || !uniqueId || !status) {
      out.problems.push({ path: filePath, severity: 'warning', message: `results[${i}] has no unique_id or status; skipped.` });
      return;
    }
    const timing = Array.isArray(e.timing) ? e.timing.map(obj) : [];
    out.results.push({
      uniqueId, status, resourceType: uniqueId.split('.')[0],
      message: str(e.message), failures: num(e.failures), executionTime: num(e.execution_time),
      compiledCode: str(e.compiled_code), relationName: str(e.relation_name), threadId: str(e.thread_id),
      adapterResponse: obj(e.adapter_response), completedAt: str(timing[timing.length - 1]?.completed_at),
    });
  });
  return out;
}

// ---------------------------------------------------------------- failures tied to the project

export interface Failure {
  result: RunResultEntry;
  /** The node in the graph (a test node for generic tests), when found. */
  node?: DbtNode;
  /** For tests: unique, not_null, accepted_values, relationships, ... or the singular test's name. */
  testName?: string;
  /** The model/seed/snapshot/source a generic test is attached to (or the one model a singular test reads), and its column. */
  covers?: DbtNode;
  column?: string;
  /** Every model/seed/snapshot/source a test reads (a singular test may read several). */
  reads: DbtNode[];
  /** Workspace-relative compiled SQL file (target/compiled/...), and whether it exists now. */
  compiledPath?: string;
  compiledExists: boolean;
}

export interface RunFailures {
  run: RunResults;
  failures: Failure[];
  problems: Problem[];
}

export interface RunResultsOptions extends PlanOptions {
  /** Workspace-relative path of the file; default `<project>/<target-path>/run_results.json`. */
  path?: string;
  project?: string;
}

/** Reads run_results.json and returns the failed, warned and skipped nodes tied to the project graph. */
export async function readRunFailures(engine: EditEngine, opts: RunResultsOptions = {}): Promise<RunFailures> {
  const snap = await engine.snapshot();
  const project = snap.projects.find(p => !opts.project || p.info.name === opts.project);
  const rel = opts.path ?? path.posix.join(project?.info.root ?? '', project?.info.targetPath ?? 'target', 'run_results.json');
  const text = await new PlanFiles(snap.root, opts.readFile).text(rel);
  if (text === undefined) {
    const run: RunResults = { path: rel, results: [], problems: [] };
    return { run, failures: [], problems: [{ path: rel, severity: 'error', message: `${rel} does not exist: run \`dbt build\` (or run/test) first, then ask again.` }] };
  }
  const run = parseRunResults(text, rel);
  const failures = run.results.filter(r => FAILED.has(r.status.toLowerCase())).map(r => tieToProject(snap, r, project?.info.name));
  return { run, failures, problems: run.problems };
}

/** The test name as dbt wrote it in the unique_id: test.<project>.<name>.<hash>. */
function testNameOfId(uniqueId: string): string {
  const parts = uniqueId.split('.');
  return parts.length >= 4 && /^[0-9a-f]{6,}$/.test(parts[parts.length - 1]) ? parts.slice(2, -1).join('.') : parts.slice(2).join('.');
}

export function tieToProject(snap: WorkspaceSnapshot, r: RunResultEntry, project?: string): Failure {
  const f: Failure = { result: r, compiledExists: false, reads: [] };
  let node = snap.graph.get(r.uniqueId);
  if (!node && r.resourceType === 'test') node = matchGenericTest(snap, testNameOfId(r.uniqueId));
  f.node = node;
  if (node?.resourceType === 'test') {
    const info = genericInfoOf(node);
    f.testName = info.testName ?? node.name;
    f.column = info.column;
    f.reads = snap.graph.upstream(node.uniqueId, 1).map(h => h.node).filter(p => p.resourceType !== 'test');
    f.covers = (info.attachedId ? snap.graph.get(info.attachedId) : undefined) ?? (f.reads.length === 1 ? f.reads[0] : undefined);
  }
  f.compiledPath = compiledPathOf(snap, r, node, project);
  f.compiledExists = !!f.compiledPath && fs.existsSync(path.join(snap.root, f.compiledPath));
  return f;
}

/** A generic test by dbt's name (`<test>_<model>_<column>__<args>`): the same name, else the test of that kind on
 *  that model and column (its arguments may have changed since the run, which changes the name). */
function matchGenericTest(snap: WorkspaceSnapshot, dbtName: string): DbtNode | undefined {
  let byBase: DbtNode | undefined;
  for (const n of snap.graph.nodes()) {
    if (n.resourceType !== 'test' || n.props.singular === true) continue;
    if (n.name === dbtName) return n;
    const info = genericInfoOf(n);
    const owner = info.attachedId ? snap.graph.get(info.attachedId) : undefined;
    if (!info.testName || !owner) continue;
    const test = info.testName.replace(/\./g, '_');
    const target = owner.resourceType === 'source' ? `source_${test}_${sourceKeyOf(owner).replace(/\./g, '_')}` : `${test}_${owner.name}`;
    const base = info.column ? `${target}_${info.column}` : target;
    if (!byBase && (dbtName === base || dbtName.startsWith(`${base}__`))) byBase = n;
  }
  return byBase;
}

/** target/compiled/<project>/<file>: the model's file, or for a generic test `<yaml file>/<test name>.sql`
 *  (dbt shortens names of 64+ characters to their first 30 and a hash: the file found on disk wins). */
function compiledPathOf(snap: WorkspaceSnapshot, r: RunResultEntry, node: DbtNode | undefined, project?: string): string | undefined {
  const info = snap.projects.find(p => p.info.name === (node?.project ?? project))?.info ?? snap.projects[0]?.info;
  if (!info) return undefined;
  const base = path.posix.join(info.root, info.targetPath, 'compiled', info.name);
  const file = node?.location?.path;
  if (!file) return undefined;
  const inProject = info.root && file.startsWith(`${info.root}/`) ? file.slice(info.root.length + 1) : file;
  if (!node || node.resourceType !== 'test' || file.endsWith('.sql')) return path.posix.join(base, inProject);
  const dir = path.posix.join(base, inProject);
  const name = testNameOfId(r.uniqueId);
  const short = typeof node.props.shortName === 'string' ? node.props.shortName : undefined;
  try {
    const found = fs.readdirSync(path.join(snap.root, dir)).filter(f => f.endsWith('.sql'))
      .find(f => f === `${name}.sql` || f === `${short}.sql` || (name.length >= 64 && f.startsWith(name.slice(0, 30))));
    if (found) return path.posix.join(dir, found);
  } catch { /* not compiled here */ }
  return path.posix.join(dir, `${short ?? name}.sql`);
}
