// Review of one model: advisory findings (documentation, key tests, select * in marts, hard-coded relations,
// fan-out joins, incremental config), each with where it is and, when the fix is deterministic, a validated plan.
import type { DbtNode, Problem } from '../types';
import type { EditPlan } from './types';
import { findNode, modifyChange, newPlan, nodeCitation, PlanFiles, problem, type EditEngine, type PlanOptions } from './refactorContext';
import { findHardcodedRelations, planReplaceHardcodedRelations } from './refactorRelations';
import { readSqlModel } from './refactorSql';
import { validateInto } from './refactorValidate';
import {
  at, configLine, documentation, fanOut, incremental, keyTests, selectStar, type ReviewFinding, type RuleContext, type UniquenessProbe,
} from './reviewRules';

export type { ReviewFinding, ReviewRule, UniquenessProbe } from './reviewRules';

export interface ReviewOptions extends PlanOptions {
  /** Checks uniqueness against the data (e.g. count vs count distinct on DuckDB/Snowflake) for the fan-out rule. */
  probe?: UniquenessProbe;
}

export interface ReviewResult {
  node?: DbtNode;
  findings: ReviewFinding[];
  /** Why the review could not run (unknown model, unreadable file). */
  problems: Problem[];
}

const ORDER: Record<ReviewFinding['severity'], number> = { warning: 0, info: 1 };

export async function reviewModel(engine: EditEngine, nodeIdOrName: string, opts: ReviewOptions = {}): Promise<ReviewResult> {
  const snap = await engine.snapshot();
  const node = findNode(snap, nodeIdOrName, ['model']);
  if (!node?.location) return { findings: [], problems: [problem('', `No model "${nodeIdOrName}" to review; give a model name, unique_id or path.`)] };
  const files = new PlanFiles(snap.root, opts.readFile);
  const text = await files.text(node.location.path);
  if (text === undefined) return { node, findings: [], problems: [problem(node.location.path, `${node.location.path} cannot be read.`)] };
  const ctx: RuleContext = { snap, node, text, sql: readSqlModel(node.language === 'python' ? '' : text), probe: opts.probe };
  const findings: ReviewFinding[] = [...documentation(ctx), ...keyTests(ctx)];
  if (node.language !== 'python') {
    findings.push(...selectStar(ctx), ...(await hardcoded(engine, ctx, opts)), ...(await fanOut(ctx)));
  }
  for (const f of incremental(ctx)) {
    if (f.rule === 'incremental-without-unique-key') f.fix = await uniqueKeyFix(ctx, files);
    findings.push(f);
  }
  findings.sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.location.startLine - b.location.startLine);
  return { node, findings, problems: [] };
}

async function hardcoded(engine: EditEngine, ctx: RuleContext, opts: ReviewOptions): Promise<ReviewFinding[]> {
  const found = findHardcodedRelations(ctx.snap, ctx.node, ctx.sql);
  if (!found.length) return [];
  const fix = found.some(h => h.replacement) ? await planReplaceHardcodedRelations(engine, ctx.node.uniqueId, { readFile: opts.readFile }) : undefined;
  return found.map(h => ({
    rule: 'hard-coded-relation' as const,
    severity: h.replacement ? 'warning' as const : 'info' as const,
    location: at(ctx, h.line),
    message: h.replacement
      ? `\`${h.text}\` is hard-coded; it is ${h.match!.node.resourceType} ${h.match!.node.name}: use \`${h.replacement}\` so dbt sees the dependency.`
      : `\`${h.text}\` is hard-coded and dbt does not know it (${h.reason}).`,
    fix: h.replacement ? fix : undefined,
  }));
}

/** `unique_key='<key>'` added to the model's config() call, when its key is known from a unique test. */
async function uniqueKeyFix(ctx: RuleContext, files: PlanFiles): Promise<EditPlan | undefined> {
  const tests = ctx.snap.graph.testsCovering(ctx.node.uniqueId).filter(t => !t.viaRelationship && !t.singular && t.testName === 'unique' && t.column);
  const key = tests[0]?.column;
  const tag = ctx.sql.scan.tags.find(t => /^\s*config\s*\(/.test(t.body));
  if (!key || !tag) return undefined;
  const open = ctx.text.indexOf('(', ctx.text.indexOf('config', tag.start));
  const after = ctx.text.slice(open + 1, tag.end);
  const firstArg = /^(\s*)\S/.exec(after);
  if (!firstArg) return undefined;
  const multiline = firstArg[1].includes('\n');
  const insertAt = open + 1 + firstArg[1].length;
  const indent = multiline ? firstArg[1].slice(firstArg[1].lastIndexOf('\n') + 1) : '';
  const newText = multiline ? `unique_key='${key}',\n${indent}` : `unique_key='${key}', `;
  const plan = newPlan(`Add unique_key='${key}' to ${ctx.node.name}`);
  plan.changes.push(modifyChange(ctx.node.location!.path, ctx.text, [{ start: insertAt, end: insertAt, newText }]));
  plan.citations.push(nodeCitation(ctx.node), ...tests.slice(0, 1).map(t => ({ path: t.def?.location?.path ?? t.location?.path ?? '', startLine: t.def?.location?.startLine, kind: 'test', title: `unique test on ${key}` })));
  plan.explanation = `\`${key}\` has a unique test, so it is the row key: with \`unique_key='${key}'\` an incremental run replaces re-processed rows instead of appending duplicates (line ${configLine(ctx)}).`;
  await validateInto(ctx.snap, plan, files);
  return plan;
}
