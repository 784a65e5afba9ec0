// The answerer that needs no language model: it reads the question's intent and the things it names, and answers
// from the lineage graph, the YAML and the git history; anything else gets the best passages. Always cited.
import type { Answer, DbtNode, ResourceType } from '../types';
import type { EntityMatch } from '../retrieval/entities';
import type { Answerer, AskContext, AskOptions } from './types';
import { classify, type Intent } from './intent';
import { CitationList } from './citations';
import * as graphAnswers from './offline-graph';
import * as textAnswers from './offline-text';
import { historyAnswer } from './offline-history';

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
  config: graphAnswers.configAnswer,
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
    const cites = new CitationList();
    let text = await HANDLERS[intent](question, ctx, found, cites);
    if (text === undefined && intent !== 'describe') text = await textAnswers.describeAnswer(question, ctx, found, cites);
    if (text === undefined) text = await textAnswers.passagesAnswer(question, ctx, found, cites);
    const answer = text ?? notFound(question, found);
    opts.onToken?.(answer);
    return { answer, mode: 'offline', citations: cites.list() };
  }
}

const PRIMARY: ResourceType[] = ['model', 'seed', 'snapshot', 'source'];

export function findEntities(question: string, ctx: AskContext): Found {
  const all = ctx.matcher.match(question);
  const strong = all.filter(m => m.via !== 'words' || m.score >= 5);
  const nodeMatch = strong.find(m => !m.column && PRIMARY.includes(m.node.resourceType))
    ?? strong.find(m => !m.column)
    ?? (all.find(m => !m.column && PRIMARY.includes(m.node.resourceType)));
  const column = strong.find(m => m.column && (!nodeMatch || m.node === nodeMatch.node)) ?? strong.find(m => m.column && m.via === 'exact' && /_/.test(m.text));
  const known = new Set(all.map(m => m.text.toLowerCase()));
  const unknown = (question.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/gi) ?? []).filter(t => !known.has(t.toLowerCase()));
  return { all, node: nodeMatch?.node ?? column?.node, column, unknown };
}

function notFound(question: string, found: Found): string {
  const named = found.unknown.length ? `\`${found.unknown.join('`, `')}\`` : 'that';
  return `I could not find ${named} in this workspace's dbt projects, git history or warehouse metadata, so I cannot answer "${question.trim()}" from them.`;
}
