// The answerer that needs no language model: it reads the question's intent and the things it names, and answers
// from the lineage graph, the YAML and the git history; anything else gets the best passages. Always cited.
import type { Answer, DbtNode, ResourceType } from '../types';
import { contentWords, type EntityMatch } from '../retrieval/entities';
import type { Answerer, AskContext, AskOptions } from './types';
import { classify, type Intent } from './intent';
import { CitationList } from './citations';
import * as graphAnswers from './offline-graph';
import * as textAnswers from './offline-text';
import { historyAnswer } from './offline-history';
import { connectionAnswer, folderConfigAnswer } from './offline-project';

/** A handler writes markdown that cites through `cites`; it returns undefined when it cannot answer. */
export type Handler = (q: string, ctx: AskContext, found: Found, cites: CitationList) => string | undefined | Promise<string | undefined>;

/** The entities a question names, pre-sorted. */
export interface Found {
  all: EntityMatch[];
  /** Best matching model/seed/snapshot/source (or any node if none of those). */
  node?: DbtNode;
  column?: EntityMatch;
  /** Identifier-looking words of the question that name nothing in the workspace. */
  unknown: string[];
}

const HANDLERS: Record<Intent, Handler> = {
  history: historyAnswer,
  tests: graphAnswers.testsAnswer,
  sources: graphAnswers.sourcesAnswer,
  downstream: graphAnswers.downstreamAnswer,
  upstream: graphAnswers.upstreamAnswer,
  exposures: graphAnswers.exposuresAnswer,
  macro_usage: graphAnswers.macroUsageAnswer,
  grain: graphAnswers.grainAnswer,
  config: (q, ctx, found, cites) => (found.node && found.all.some(m => m.node === found.node && m.via !== 'words')
    ? graphAnswers.configAnswer(q, ctx, found, cites)
    : folderConfigAnswer(q, ctx, found, cites) ?? graphAnswers.configAnswer(q, ctx, found, cites)),
  connection: connectionAnswer,
  metric: textAnswers.metricAnswer,
  column: textAnswers.columnAnswer,
  definition: textAnswers.definitionAnswer,
  describe: textAnswers.describeAnswer,
  search: textAnswers.passagesAnswer,
};

export class OfflineAnswerer implements Answerer {
  readonly mode = 'offline' as const;

  async answer(question: string, ctx: AskContext, opts: AskOptions = {}): Promise<Answer> {
    const found = findEntities(question, ctx);
    const intent = classify(question);
    // A question about a named thing that does not exist gets a negative answer, not a neighbour's facts.
    const subjectMissing = found.unknown.some(u => namedAsThing(question, u));
    if (found.unknown.length && (subjectMissing || (intent !== 'search' && intent !== 'history' && !namesSubject(found)))) {
      const answer = notFound(question, found, ctx);
      opts.onToken?.(answer);
      return { answer, mode: 'offline', citations: [] };
    }
    // Each attempt cites into its own list, so a handler that gives up leaves no stray citations.
    for (const handler of [HANDLERS[intent], textAnswers.describeAnswer, textAnswers.passagesAnswer]) {
      const list = new CitationList();
      const text = await handler(question, ctx, found, list);
      if (text !== undefined) {
        opts.onToken?.(text);
        return { answer: text, mode: 'offline', citations: list.list() };
      }
    }
    const answer = notFound(question, found, ctx);
    opts.onToken?.(answer);
    return { answer, mode: 'offline', citations: [] };
  }
}

const PRIMARY: ResourceType[] = ['model', 'seed', 'snapshot', 'source'];

export function findEntities(question: string, ctx: AskContext): Found {
  const all = ctx.matcher.match(question);
  const nodes = all.filter(m => !m.column);
  const hint = typeHint(question);
  const strong = nodes.filter(m => m.via !== 'words' || m.score >= 5);
  const best = strong.find(m => PRIMARY.includes(m.node.resourceType)) ?? strong[0];
  // The type the question names ("as a dbt source") breaks near-ties, it does not override a clearly better match.
  const hinted = hint && strong.find(m => hint.includes(m.node.resourceType));
  const nodeMatch = hinted && best && hinted.score >= best.score - 2 ? hinted : best;
  const nodeScore = new Map<string, number>();
  for (const m of nodes) nodeScore.set(m.node.uniqueId, Math.max(nodeScore.get(m.node.uniqueId) ?? 0, m.score));
  // A column named in several models belongs to the one the question also names (in words or exactly).
  const joint = (m: EntityMatch) => m.score + (nodeScore.get(m.node.uniqueId) ?? 0) + (m.node === nodeMatch?.node ? 3 : 0);
  const column = all.filter(m => m.column && m.score >= 6).sort((a, b) => joint(b) - joint(a))[0];
  const weak = nodes.find(m => PRIMARY.includes(m.node.resourceType));
  return { all, node: nodeMatch?.node ?? column?.node ?? weak?.node, column, unknown: unknownTerms(question, all, ctx) };
}

/** The resource type the question asks about, when it says ("as a dbt source", "the seed", "macro"). */
function typeHint(q: string): ResourceType[] | undefined {
  if (/\bsources?\b/i.test(q)) return ['source'];
  if (/\bseeds?\b/i.test(q)) return ['seed'];
  if (/\bsnapshots?\b/i.test(q)) return ['snapshot'];
  if (/\bmacros?\b/i.test(q)) return ['macro'];
  if (/\b(exposures?|dashboards?)\b/i.test(q)) return ['exposure'];
  if (/\bmetrics?\b/i.test(q)) return ['metric'];
  if (/\bsemantic models?\b/i.test(q)) return ['semantic_model'];
  return undefined;
}

/** Identifiers that name nothing and occur nowhere, and words of "the <words> model/source/..." found nowhere in the index. */
function unknownTerms(question: string, all: EntityMatch[], ctx: AskContext): string[] {
  const known = new Set(all.map(m => m.text.toLowerCase()));
  const ids = (question.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/gi) ?? []).filter(t => !known.has(t.toLowerCase()) && !ctx.knows(t));
  const phrases = [...question.matchAll(/\b(?:the|a|an|our|any)\s+((?:[a-z]+\s+){1,3}?)(?:source|model|table|column|macro|seed|snapshot|metric|exposure|dashboard)s?\b/gi)];
  const words = phrases.flatMap(p => contentWords(p[1])).filter(w => w.length > 2 && !ctx.knows(w) && !ctx.knows(`${w}s`));
  return [...new Set([...ids, ...words])];
}

const THING = '(?:model|source|table|column|macro|seed|snapshot|metric|exposure|dashboard|test|field|view)s?';

/** "the safe_divide macro", "column loyalty_points": the identifier is the subject of the question. */
function namedAsThing(question: string, id: string): boolean {
  const e = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\b${e}\\s+${THING}\\b|\\b${THING}\\s+\`?${e}\\b`, 'i').test(question);
}

/** True when an exact match stands for what the unknown identifier would have been (the subject exists). */
function namesSubject(found: Found): boolean {
  const exact = found.all.filter(m => m.via !== 'words');
  // "loyalty_points in dim_customers": the model exists but the asked column does not -> not the subject.
  return exact.some(m => m.column) || (exact.length > 0 && found.unknown.every(u => !looksLikeColumn(u, found)));
}

function looksLikeColumn(token: string, found: Found): boolean {
  return !!found.node && !found.node.columns.some(c => c.name.toLowerCase() === token.toLowerCase());
}

function notFound(question: string, found: Found, ctx: AskContext): string {
  const named = found.unknown.length ? `\`${found.unknown.join('`, `')}\`` : 'what this asks about';
  const where = found.node ? ` in \`${found.node.name}\` (its columns: ${found.node.columns.map(c => c.name).join(', ') || 'none documented'})` : '';
  const near = found.unknown.flatMap(u => similarNames(u, ctx)).slice(0, 5);
  const hint = near.length ? ` Similar names: ${near.map(n => `\`${n}\``).join(', ')}.` : '';
  return `I could not find ${named}${where} in this workspace's dbt projects, git history or warehouse metadata, so I cannot answer "${question.trim()}" from them.${hint}`;
}

/** Names sharing a word with the unknown identifier, as suggestions (not citations). */
function similarNames(token: string, ctx: AskContext): string[] {
  const parts = token.toLowerCase().split('_').filter(p => p.length > 3);
  const names = new Set<string>();
  for (const n of ctx.snap.graph.nodes()) {
    if (n.resourceType === 'test') continue;
    if (parts.some(p => n.name.toLowerCase().includes(p))) names.add(n.name);
    for (const c of n.columns) if (parts.some(p => c.name.toLowerCase().includes(p))) names.add(`${n.name}.${c.name}`);
  }
  return [...names];
}
