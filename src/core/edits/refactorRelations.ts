// Hard-coded relations (`raw.orders`, `analytics.staging.stg_orders`) in a model's FROM/JOIN clauses that are a
// model's, seed's, snapshot's or declared source's relation become `{{ ref() }}` / `{{ source() }}`, so dbt knows the
// dependency and builds in the right order and environment.
import type { DbtNode } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import type { EditPlan, TextEdit } from './types';
import { findNode, modifyChange, newPlan, nodeCitation, PlanFiles, problem, uniqueCitations, type EditEngine, type PlanOptions } from './refactorContext';
import { jinjaCallFor, RelationIndex, type RelationMatch } from './refactorCatalog';
import { lineOfTok, readSqlModel, type Relation, type SqlModel } from './refactorSql';
import { validateInto } from './refactorValidate';

export interface HardcodedRelation {
  /** As written in the SQL. */
  text: string;
  line: number;
  start: number;
  end: number;
  /** The node it is, when exactly one matches. */
  match?: RelationMatch;
  /** Every candidate, when several nodes have that relation. */
  candidates: RelationMatch[];
  /** The replacement, when there is one. */
  replacement?: string;
  /** Why it is not replaced. */
  reason?: string;
}

/** Every 2- or 3-part relation name in FROM/JOIN clauses of the SQL, with what it matches. */
export function findHardcodedRelations(snap: WorkspaceSnapshot, node: DbtNode, model: SqlModel, index = new RelationIndex(snap)): HardcodedRelation[] {
  const out: HardcodedRelation[] = [];
  const seen = new Set<number>();
  for (const b of model.blocks) {
    for (const r of b.relations) {
      if (r.kind !== 'table' || r.parts.length < 2 || seen.has(r.start)) continue;
      seen.add(r.start);
      out.push(describe(node, model, r, index.lookup(r.parts)));
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function describe(node: DbtNode, model: SqlModel, r: Relation, cands: RelationMatch[]): HardcodedRelation {
  const h: HardcodedRelation = { text: r.text, line: lineOfTok(model, r.firstTok), start: r.start, end: r.end, candidates: cands };
  if (!cands.length) return { ...h, reason: 'no model, seed, snapshot or declared source has this relation' };
  if (cands.length > 1) return { ...h, reason: `several nodes build this relation (${cands.map(c => c.node.uniqueId).join(', ')}); choose one by hand` };
  const match = cands[0];
  if (match.node.uniqueId === node.uniqueId) return { ...h, match, reason: 'this is the model\'s own relation: use `{{ this }}` where that is meant' };
  return { ...h, match, replacement: jinjaCallFor(match.node, node.project) };
}

export async function planReplaceHardcodedRelations(engine: EditEngine, nodeIdOrPath: string, opts: PlanOptions = {}): Promise<EditPlan> {
  const snap = await engine.snapshot();
  const files = new PlanFiles(snap.root, opts.readFile);
  const plan = newPlan(`Use ref()/source() in ${nodeIdOrPath}`);
  const node = findNode(snap, nodeIdOrPath, ['model', 'snapshot', 'analysis', 'test']);
  const path = node?.location?.path;
  if (!node || !path || !path.endsWith('.sql')) {
    plan.problems.push(problem(path ?? '', `No SQL model, snapshot, analysis or singular test "${nodeIdOrPath}" was found.`));
    return plan;
  }
  plan.title = `Use ref()/source() instead of hard-coded relations in ${node.name}`;
  const text = await files.text(path);
  if (text === undefined) {
    plan.problems.push(problem(path, `${path} cannot be read.`));
    return plan;
  }
  const found = findHardcodedRelations(snap, node, readSqlModel(text));
  const edits: TextEdit[] = found.filter(h => h.replacement).map(h => ({ start: h.start, end: h.end, newText: h.replacement! }));
  if (edits.length) plan.changes.push(modifyChange(path, text, edits));
  plan.citations = uniqueCitations([nodeCitation(node), ...found.filter(h => h.match).map(h => nodeCitation(h.match!.node))]);
  plan.explanation = explain(node, found);
  if (!found.length) plan.problems.push(problem(path, `${node.name} reads no hard-coded schema.table relation; nothing to change.`, 'warning'));
  await validateInto(snap, plan, files);
  return plan;
}

function explain(node: DbtNode, found: HardcodedRelation[]): string {
  const done = found.filter(h => h.replacement);
  const left = found.filter(h => !h.replacement);
  const lines = [`Hard-coded relations in \`${node.name}\` hide dependencies from dbt: it cannot order the build, ` +
    'select by lineage, or point the model at another environment. Each one below is the relation of a node dbt knows.', ''];
  for (const h of done) lines.push(`- line ${h.line}: \`${h.text}\` → \`${h.replacement}\` (${h.match!.node.resourceType} ${h.match!.node.name})`);
  if (left.length) {
    lines.push('', '**Left as written:**');
    for (const h of left) lines.push(`- line ${h.line}: \`${h.text}\` — ${h.reason}`);
  }
  return lines.join('\n');
}
