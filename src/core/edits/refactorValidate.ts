// Validation of a plan before it is shown: the shared checks of validate.ts, plus a re-parse of every project the
// plan touches exactly as the engine does, reporting what got worse anywhere — a ref/source that no longer
// resolves (a rename missed a file), a duplicate node. Problems that were there before are not repeated.
import type { ParsedProject, Problem } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { findProjectFiles } from '../dbt/files';
import { parseFile } from '../dbt/parse';
import { assembleProject } from '../dbt/assemble';
import { LineageGraph } from '../dbt/graph';
import { isUnder } from '../dbt/paths';
import { applyChanges } from './apply';
import { validatePlan } from './validate';
import type { EditPlan } from './types';
import type { PlanFiles } from './refactorContext';
import { scanJinja } from '../dbt/jinja';
import { parseDuckDb } from '../sql/duckdbParser';

export interface Revalidated {
  problems: Problem[];
  /** The graph after the plan (for callers that check more, e.g. that a renamed model resolves). */
  graph?: LineageGraph;
  /** Resulting texts of the touched paths (null = removed). */
  files: Map<string, string | null>;
}

/** The texts the plan touches, as they are now. */
async function currentTexts(plan: EditPlan, files: PlanFiles): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const c of plan.changes) {
    for (const p of c.kind === 'rename' ? [c.path, c.newPath] : [c.path]) {
      const t = await files.text(p);
      if (t !== undefined) m.set(p, t);
    }
  }
  return m;
}

export async function revalidate(snap: WorkspaceSnapshot, plan: EditPlan, files: PlanFiles): Promise<Revalidated> {
  const applied = applyChanges(await currentTexts(plan, files), plan.changes);
  if (applied.problems.length) return { problems: applied.problems, files: applied.files };
  const touched = [...applied.files.keys()];
  const projects: ParsedProject[] = [];
  const reparsed = new Set<string>();
  for (const p of snap.projects) {
    if (!touched.some(t => isUnder(t, p.info.root))) { projects.push(p); continue; }
    projects.push(await reparse(snap, p, applied.files, files));
    reparsed.add(p.info.name);
  }
  const graph = LineageGraph.build(projects);
  const problems: Problem[] = [];
  const before = new Set(snap.graph.unresolved().map(u => `${u.from}|${u.ref}`));
  for (const u of graph.unresolved()) {
    if (before.has(`${u.from}|${u.ref}`)) continue;
    const node = graph.get(u.from);
    problems.push({
      path: node?.location?.path ?? '', line: node?.location?.startLine, severity: 'error',
      message: `After this change ${u.ref} in ${node?.name ?? u.from} would not resolve (${u.reason}).`,
    });
  }
  const old = new Set(snap.problems.map(p => `${p.path}|${p.message}`));
  for (const p of projects.filter(x => reparsed.has(x.info.name)).flatMap(x => x.problems)) {
    if (p.severity !== 'error' || old.has(`${p.path}|${p.message}`)) continue;
    if (applied.files.has(p.path) || /duplicate/i.test(p.message)) problems.push({ ...p, message: `After this change: ${p.message}` });
  }
  return { problems, graph, files: applied.files };
}

async function reparse(snap: WorkspaceSnapshot, p: ParsedProject, changed: Map<string, string | null>, files: PlanFiles): Promise<ParsedProject> {
  const paths = new Set(await findProjectFiles(snap.root, p.info));
  for (const [k, v] of changed) {
    if (v === null) paths.delete(k);
    else if (isUnder(k, p.info.root)) paths.add(k);
  }
  const parses = [];
  for (const rel of [...paths].sort()) {
    const text = changed.has(rel) ? changed.get(rel) : await files.text(rel);
    if (typeof text !== 'string') continue;
    parses.push(parseFile(p.info, rel, text));
  }
  return assembleProject(p.info, parses);
}

/** Runs the shared validator (validate.ts: YAML, Jinja, duplicates, references the plan adds) and the project-wide
 *  re-parse (refs anywhere that stop resolving, e.g. after a rename), and records their problems on the plan. */
export async function validateInto(snap: WorkspaceSnapshot, plan: EditPlan, files: PlanFiles): Promise<Revalidated> {
  const r = await revalidate(snap, plan, files);
  // The shared validator parses changed files one by one; the whole-project re-parse also applies YAML patches
  // (model versions, for one), so for "does not resolve" it has the last word.
  const unresolved = new Set(r.graph?.unresolved().map(u => `${r.graph!.get(u.from)?.location?.path ?? ''}|${u.ref}`) ?? []);
  const shared = (await validatePlan(plan, snap, p => files.text(p))).filter(p => {
    const call = /Validation: ((?:ref|source)\(.*?\)) does not resolve/.exec(p.message)?.[1];
    return !call || !r.graph || unresolved.has(`${p.path}|${call}`);
  });
  const mine = r.problems.filter(p => {
    const call = /(ref|source)\([^)]*\)/.exec(p.message)?.[0];
    const reportedByShared = shared.some(s => s.path === p.path && (call ? s.message.includes(call) : s.message === p.message));
    // The shared validator reads changed files itself; the re-parse adds what breaks elsewhere.
    return !reportedByShared && (/would not resolve/.test(p.message) || !shared.length);
  });
  plan.problems.push(...shared, ...mine);
  return { ...r, problems: [...shared, ...mine] };
}

/** A SQL file that DuckDB's parser cannot read once its Jinja is blanked out (each `{{ }}` reads as a name).
 *  `dialectNote` is added when the project's warehouse is not DuckDB, since its SQL may legitimately differ. */
export async function sqlParseProblems(filePath: string, text: string, severity: Problem['severity'] = 'error'): Promise<Problem[]> {
  const scan = scanJinja(text);
  const out: Problem[] = scan.problems.map(p => ({ path: filePath, line: p.line, severity: 'error' as const, message: p.message }));
  const sql = scan.sql.trim();
  if (!sql || out.length) return out;
  try {
    const r = await parseDuckDb(scan.sql);
    if (r.error) out.push({ path: filePath, severity, message: `The SQL does not parse: ${r.error.split('\n')[0]}` });
  } catch (e) {
    out.push({ path: filePath, severity: 'warning', message: `The SQL could not be checked (${(e as Error).message}).` });
  }
  return out;
}
