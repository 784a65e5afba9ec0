// The facts about one model, each tied to the file (or commit, or warehouse table) it comes from, for an LLM to
// explain the model with citations — and for the offline path to show as is. Nothing here calls a model.
import type { Citation, DbtNode } from '../types';
import type { ChatMessage } from '../llm/types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { findNode, nodeCitation, PlanFiles, yamlCitation, type EditEngine, type PlanOptions } from './refactorContext';
import { catalogTableOf } from './refactorCatalog';

export interface ContextFact {
  text: string;
  /** 1-based index into `citations`. */
  cite: number;
}

export interface ModelContext {
  node?: DbtNode;
  facts: ContextFact[];
  citations: Citation[];
  /** The model's SQL with line numbers (cited as [1]). */
  code: string;
  /** The facts as a numbered list followed by the code: what a prompt includes. */
  text: string;
  /** System + user messages asking for a grounded explanation with [n] citations. */
  messages: ChatMessage[];
  /** Set when the node cannot be found. */
  problem?: string;
}

const MAX_CODE_LINES = 400;

class Facts {
  readonly facts: ContextFact[] = [];
  readonly citations: Citation[] = [];

  cite(c: Citation): number {
    const at = this.citations.findIndex(x => x.path === c.path && x.startLine === c.startLine && x.commit === c.commit && x.kind === c.kind);
    if (at >= 0) return at + 1;
    this.citations.push(c);
    return this.citations.length;
  }

  add(text: string, c: Citation): void {
    this.facts.push({ text, cite: this.cite(c) });
  }
}

export async function explainModelContext(engine: EditEngine, nodeOrName: string | DbtNode, opts: PlanOptions = {}): Promise<ModelContext> {
  const snap = await engine.snapshot();
  const node = typeof nodeOrName === 'string' ? findNode(snap, nodeOrName) : nodeOrName;
  if (!node) {
    const problem = `No model, source or seed named "${String(nodeOrName)}".`;
    return { facts: [], citations: [], code: '', text: problem, messages: [], problem };
  }
  const f = new Facts();
  const own = f.cite(nodeCitation(node));
  const code = await codeOf(snap, node, opts);
  identity(f, snap, node);
  documentation(f, node);
  lineage(f, snap, node);
  quality(f, snap, node);
  warehouse(f, snap, node);
  history(f, snap, node);
  const text = [
    ...f.facts.map(x => `- ${x.text} [${x.cite}]`),
    '',
    ...f.citations.map((c, i) => `[${i + 1}] ${c.path}${c.startLine ? `:${c.startLine}${c.endLine && c.endLine !== c.startLine ? `-${c.endLine}` : ''}` : ''}${c.commit ? ` @${c.commit.slice(0, 8)}` : ''} (${c.kind})`),
    ...(code ? ['', `Code of ${node.name} [${own}]:`, '```' + (node.language === 'python' ? 'python' : 'sql'), code, '```'] : []),
  ].join('\n');
  const messages: ChatMessage[] = [
    { role: 'system', content: 'You explain dbt models to analytics engineers. Use only the facts and code given; cite every claim with its [n] marker. ' +
      'Say what the model computes, its grain, its inputs and who uses it, and point out notable logic (filters, joins, incremental rules). ' +
      'When the facts do not say something, say it is not known rather than guessing.' },
    { role: 'user', content: `Explain the ${node.resourceType} \`${node.name}\`.\n\n${text}` },
  ];
  return { node, facts: f.facts, citations: f.citations, code, text, messages };
}

async function codeOf(snap: WorkspaceSnapshot, node: DbtNode, opts: PlanOptions): Promise<string> {
  const p = node.location?.path;
  const raw = p && /\.(sql|py)$/.test(p) ? (await new PlanFiles(snap.root, opts.readFile).text(p)) ?? node.rawCode : node.rawCode;
  if (!raw) return '';
  const lines = raw.replace(/\n$/, '').split('\n');
  const shown = lines.slice(0, MAX_CODE_LINES).map((l, i) => `${String(i + 1).padStart(3)}  ${l}`);
  if (lines.length > MAX_CODE_LINES) shown.push(`     ... ${lines.length - MAX_CODE_LINES} more lines`);
  return shown.join('\n');
}

function identity(f: Facts, snap: WorkspaceSnapshot, n: DbtNode): void {
  const c = n.config;
  const cfg = [c.materialized && `materialized as ${c.materialized}`, c.uniqueKey && `unique_key ${[c.uniqueKey].flat().join(', ')}`,
    c.incrementalStrategy && `strategy ${c.incrementalStrategy}`, c.schema && `schema ${c.schema}`, c.tags.length && `tags ${c.tags.join(', ')}`].filter(Boolean);
  f.add(`\`${n.name}\` is a ${n.resourceType} of project ${n.project}${n.location ? `, defined in ${n.location.path}` : ''}${cfg.length ? `; ${cfg.join('; ')}` : ''}.`, nodeCitation(n));
  if (n.isIncremental) f.add('Its SQL has an `is_incremental()` branch: incremental runs read only new or changed rows.', nodeCitation(n));
  const grain = snap.graph.grain(n.uniqueId);
  if (grain) f.add(`Grain: one row per ${grain.columns.join(' + ')} (from the ${grain.evidence}).`, yamlCitation(n) ?? nodeCitation(n));
}

function documentation(f: Facts, n: DbtNode): void {
  const y = yamlCitation(n) ?? nodeCitation(n);
  if (n.description?.trim()) f.add(`Description: ${n.description.trim().replace(/\s+/g, ' ')}`, y);
  const cols = n.columns.slice(0, 60);
  for (const c of cols) {
    const loc = c.location ? { path: c.location.path, startLine: c.location.startLine, endLine: c.location.endLine, kind: 'column', nodeId: n.uniqueId, title: `${n.name}.${c.name}` } : y;
    const tests = c.tests.map(t => t.name).join(', ');
    const desc = c.description?.trim().replace(/\s+/g, ' ').replace(/\.$/, '') || 'no description';
    f.add(`Column \`${c.name}\`${c.dataType ? ` (${c.dataType})` : ''}: ${desc}${tests ? `; tests: ${tests}` : ''}.`, loc);
  }
}

function lineage(f: Facts, snap: WorkspaceSnapshot, n: DbtNode): void {
  for (const h of snap.graph.upstream(n.uniqueId, 1)) {
    const u = h.node;
    f.add(`Reads ${u.resourceType} \`${u.name}\`${u.description ? `: ${firstSentence(u.description)}` : ''}.`, nodeCitation(u));
  }
  const down = snap.graph.downstream(n.uniqueId, 1).map(h => h.node);
  for (const d of down.slice(0, 20)) f.add(`Used by ${d.resourceType} \`${d.name}\`${d.description ? `: ${firstSentence(d.description)}` : ''}.`, nodeCitation(d));
  if (down.length > 20) f.add(`…and ${down.length - 20} more direct dependents.`, nodeCitation(n));
  for (const e of snap.graph.exposuresOf(n.uniqueId).filter(e => !down.includes(e))) f.add(`Feeds exposure \`${e.name}\` further downstream.`, nodeCitation(e));
}

function quality(f: Facts, snap: WorkspaceSnapshot, n: DbtNode): void {
  const tests = snap.graph.testsCovering(n.uniqueId).filter(t => !t.viaRelationship);
  for (const t of tests.filter(t => t.singular).slice(0, 10)) f.add(`Singular test \`${t.testName}\` checks it.`, nodeCitation(t.node));
}

function warehouse(f: Facts, snap: WorkspaceSnapshot, n: DbtNode): void {
  const t = catalogTableOf(snap, n);
  if (!t) return;
  const c: Citation = { path: snap.catalog?.origin ?? 'warehouse', kind: 'warehouse_table', nodeId: n.uniqueId, title: `${t.schema}.${t.name}` };
  f.add(`In the warehouse it is the ${t.kind} ${t.database}.${t.schema}.${t.name}${t.rowCount !== undefined ? ` with ${t.rowCount} rows` : ''}; columns ${t.columns.map(x => `${x.name} ${x.type}`).join(', ')}.`, c);
}

function history(f: Facts, snap: WorkspaceSnapshot, n: DbtNode): void {
  const p = n.location?.path;
  const last = p ? snap.history.lastChange(p) : undefined;
  if (!last || !p) return;
  f.add(`Last changed by ${last.author} on ${last.date.slice(0, 10)}: "${last.subject}".`, { path: p, commit: last.sha, kind: 'commit', title: last.subject });
}

function firstSentence(s: string): string {
  const one = s.trim().replace(/\s+/g, ' ');
  const m = /^(.{20,200}?[.!?])(\s|$)/.exec(one);
  return m ? m[1].replace(/[.!?]$/, '') : one.slice(0, 200);
}
