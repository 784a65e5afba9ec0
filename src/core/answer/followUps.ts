// Follow-up questions offered under an answer, about the first model (or source/seed) the answer cites.
// Pure: it only rephrases names already in the citations.
import type { Citation } from '../types';

const TEMPLATES: { intent: RegExp; text: (name: string) => string }[] = [
  { intent: /\b(downstream|depends on|impact|break)/i, text: n => `What is downstream of ${n}?` },
  { intent: /\b(upstream|feeds?|built from|sources?)\b/i, text: n => `What feeds ${n}?` },
  { intent: /\btests?\b/i, text: n => `Which tests cover ${n}?` },
  { intent: /\b(who|changed|history|commit|last)\b/i, text: n => `Who changed ${n} last?` },
  { intent: /\b(columns?|describe|explain|what is)\b/i, text: n => `Explain ${n} and its columns` },
];

const NODE_KINDS = new Set(['model', 'source', 'seed', 'snapshot', 'model_yaml', 'source_yaml', 'columns', 'warehouse_table']);

export function suggestFollowUps(question: string, citations: Citation[], max = 3): string[] {
  const name = citations.find(c => c.title && NODE_KINDS.has(c.kind))?.title ?? citations.find(c => c.title && !c.commit)?.title;
  if (!name || !/^[\w.-]+$/.test(name)) return [];
  return TEMPLATES.filter(t => !t.intent.test(question)).slice(0, max).map(t => t.text(name));
}
