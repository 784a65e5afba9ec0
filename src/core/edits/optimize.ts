// An SQL optimization proposed by a language model, turned into a validated plan: the model gets the grounded
// context and the code, answers with the whole new file and a reason per change; the answer becomes minimal
// TextEdits, and is checked before it is shown — Jinja and SQL parse, every ref()/source() resolves, the output
// columns and the lineage stay what they were (or the change is flagged).
import type { DbtNode, Problem } from '../types';
import type { ChatModel } from '../llm/types';
import { depsOfTags } from '../dbt/calls';
import { formatRef } from '../dbt/graph-node';
import { scanJinja } from '../dbt/jinja';
import { diffToEdits } from './applyDiff';
import type { EditPlan } from './types';
import { findNode, modifyChange, newPlan, nodeCitation, PlanFiles, problem, type EditEngine, type PlanOptions } from './refactorContext';
import { resolveRef, resolveSource } from './refactorCatalog';
import { itemName, readSqlModel } from './refactorSql';
import { sqlParseProblems, validateInto } from './refactorValidate';
import { explainModelContext } from './explain';

export interface OptimizationChange {
  summary: string;
  reason: string;
}

export interface OptimizeOptions extends PlanOptions {
  /** What to aim for, passed to the model ("fewer scans of fct_orders", "Snowflake cost"). */
  goal?: string;
  signal?: AbortSignal;
}

const SYSTEM = [
  'You optimize the SQL of one dbt model. Keep its meaning exactly: the same output columns in the same order, the same rows,',
  'the same ref()/source() calls and Jinja (config, macros, is_incremental blocks). Improve only what makes it cheaper or clearer to',
  'run: filters pushed before joins, fewer scans, window functions instead of self-joins, no needless DISTINCT or ORDER BY.',
  'Answer with JSON only, no prose around it:',
  '{"sql": "<the complete new file text>", "changes": [{"summary": "<what changed>", "reason": "<why it is faster or safer>"}]}',
  'If nothing is worth changing, answer {"sql": null, "changes": []}.',
].join('\n');

export async function planOptimization(engine: EditEngine, nodeOrName: string | DbtNode, model: ChatModel, opts: OptimizeOptions = {}): Promise<EditPlan> {
  const snap = await engine.snapshot();
  const node = typeof nodeOrName === 'string' ? findNode(snap, nodeOrName, ['model']) : nodeOrName;
  const plan = newPlan(`Optimize ${typeof nodeOrName === 'string' ? nodeOrName : nodeOrName.name}`);
  const path = node?.location?.path;
  if (!node || !path || !path.endsWith('.sql')) {
    plan.problems.push(problem(path ?? '', node ? `${node.name} is not a SQL model; only SQL models can be optimized.` : `No model "${String(nodeOrName)}".`));
    return plan;
  }
  plan.title = `Optimize the SQL of ${node.name}`;
  const files = new PlanFiles(snap.root, opts.readFile);
  const before = await files.text(path);
  if (before === undefined) {
    plan.problems.push(problem(path, `${path} cannot be read.`));
    return plan;
  }
  const ctx = await explainModelContext(engine, node, { readFile: opts.readFile });
  const user = `${opts.goal ? `Goal: ${opts.goal}\n\n` : ''}Facts about the model:\n${ctx.text}\n\nThe file ${path}, exactly:\n\`\`\`sql\n${before}\`\`\``;
  let content: string;
  try {
    content = (await model.chat([{ role: 'system', content: SYSTEM }, { role: 'user', content: user }], { temperature: 0, signal: opts.signal })).content;
  } catch (e) {
    plan.problems.push(problem(path, `The language model (${model.id}) failed: ${(e as Error).message}`));
    return plan;
  }
  const answer = parseAnswer(content);
  if ('error' in answer) {
    plan.problems.push(problem(path, `The model's answer was not the JSON asked for (${answer.error}); ask again.`));
    plan.explanation = content.slice(0, 2000);
    return plan;
  }
  plan.citations.push(nodeCitation(node));
  if (answer.sql === null || answer.sql.trim() === before.trim()) {
    plan.explanation = `The model proposes no change to \`${path}\`.`;
    return plan;
  }
  const after = answer.sql.endsWith('\n') || !before.endsWith('\n') ? answer.sql : `${answer.sql}\n`;
  plan.changes.push(modifyChange(path, before, diffToEdits(before, after)));
  const checks = await check(snap, node, path, before, after);
  plan.problems.push(...checks.problems);
  plan.explanation = explain(answer.changes, checks.notes, model.id);
  await validateInto(snap, plan, files);
  return plan;
}

function parseAnswer(content: string): { sql: string | null; changes: OptimizationChange[] } | { error: string } {
  const body = content.replace(/^[\s\S]*?```(?:json)?\s*\n(?=\s*\{)/, '').replace(/```[\s\S]*$/, '');
  const start = body.indexOf('{'), end = body.lastIndexOf('}');
  if (start < 0 || end < start) return { error: 'no JSON object' };
  let json: unknown;
  try { json = JSON.parse(body.slice(start, end + 1)); } catch (e) { return { error: (e as Error).message }; }
  const o = json as { sql?: unknown; changes?: unknown };
  if (o.sql !== null && typeof o.sql !== 'string') return { error: '"sql" is missing' };
  const changes = Array.isArray(o.changes) ? o.changes.map(c => ({
    summary: String((c as Record<string, unknown>)?.summary ?? '').trim(), reason: String((c as Record<string, unknown>)?.reason ?? '').trim(),
  })).filter(c => c.summary) : [];
  return { sql: o.sql as string | null, changes };
}

async function check(snap: Parameters<typeof resolveRef>[0], node: DbtNode, path: string, before: string, after: string): Promise<{ problems: Problem[]; notes: string[] }> {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const parsed = await sqlParseProblems(path, after);
  const beforeParses = !(await sqlParseProblems(path, before)).length;
  for (const p of parsed) {
    if (p.message.startsWith('The SQL does not parse') && !beforeParses) notes.push(`DuckDB's parser cannot check this dialect (it cannot read the current file either): ${p.message}`);
    else problems.push({ ...p, message: `The proposed SQL: ${p.message}` });
  }
  const depsBefore = depsOfTags(scanJinja(before).tags);
  const depsAfter = depsOfTags(scanJinja(after).tags);
  for (const r of depsAfter.refs) if (!resolveRef(snap, node.project, r)) problems.push(problem(path, `The proposed SQL calls ${formatRef(r)}, which does not resolve to any model, seed or snapshot.`));
  for (const s of depsAfter.sources) if (!resolveSource(snap, node.project, s)) problems.push(problem(path, `The proposed SQL calls ${formatRef(s)}, which no source declares.`));
  const key = (x: { name?: string; package?: string; source?: string; table?: string }) => JSON.stringify(x);
  const added = [...depsAfter.refs, ...depsAfter.sources].filter(d => ![...depsBefore.refs, ...depsBefore.sources].some(b => key(b) === key(d)));
  const dropped = [...depsBefore.refs, ...depsBefore.sources].filter(d => ![...depsAfter.refs, ...depsAfter.sources].some(b => key(b) === key(d)));
  if (added.length || dropped.length) {
    problems.push(problem(path, `The lineage changes (${[...added.map(d => `+${formatRef(d)}`), ...dropped.map(d => `-${formatRef(d)}`)].join(', ')}); check that this is intended.`, 'warning'));
  }
  const cols = (text: string) => {
    const m = readSqlModel(text);
    const first = m.finals[0];
    if (!first || first.items.some(i => i.star)) return undefined;
    const names = first.items.map(i => itemName(m, i));
    return names.every(Boolean) ? (names as string[]) : undefined;
  };
  const cb = cols(before), ca = cols(after);
  if (cb && ca && cb.join(',') !== ca.join(',')) {
    problems.push(problem(path, `The output columns change: before ${cb.join(', ')}; after ${ca.join(', ')}. Downstream models and YAML rely on them.`));
  }
  return { problems, notes };
}

function explain(changes: OptimizationChange[], notes: string[], modelId: string): string {
  const lines = [`Proposed by ${modelId}; checked here before showing (Jinja and SQL parse, ref()/source() resolve, output columns kept).`, ''];
  if (changes.length) for (const c of changes) lines.push(`- **${c.summary}** — ${c.reason || 'no reason given'}`);
  else lines.push('- The model gave no list of changes: read the diff.');
  if (notes.length) lines.push('', ...notes.map(n => `- ${n}`));
  return lines.join('\n');
}
