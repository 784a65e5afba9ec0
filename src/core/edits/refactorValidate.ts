// Validation of a plan before it is shown: apply it in memory, re-parse the projects it touches exactly as the
// engine does, and report what got worse — YAML or Jinja that no longer parses, a ref/source that no longer
// resolves, a duplicate node. Problems that were there before the plan are not the plan's fault and are not repeated.
import type { ParsedProject, Problem } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { findProjectFiles } from '../dbt/files';
import { parseFile } from '../dbt/parse';
import { assembleProject } from '../dbt/assemble';
import { LineageGraph } from '../dbt/graph';
import { isUnder } from '../dbt/paths';
import { applyChanges } from './apply';
import type { EditPlan } from './types';
import type { PlanFiles } from './refactorContext';

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

/** Runs the validation and records its problems on the plan; returns the plan. */
export async function validateInto(snap: WorkspaceSnapshot, plan: EditPlan, files: PlanFiles): Promise<Revalidated> {
  const r = await revalidate(snap, plan, files);
  plan.problems.push(...r.problems);
  return r;
}
