// Example questions for an empty chat, naming real models of the workspace so the first click gets a real answer.
import type { DbtNode } from '../types';

export function exampleQuestions(nodes: readonly DbtNode[]): string[] {
  const models = nodes.filter(n => n.resourceType === 'model' && n.location);
  if (!models.length) return ['Which models are in this project?', 'What changed recently?'];
  const isMart = (n: DbtNode) => /(^|\/)marts?\//.test(n.location!.path) || /^(fct|dim|fact|mart)_/.test(n.name);
  const isStaging = (n: DbtNode) => /(^|\/)staging\//.test(n.location!.path) || /^stg_/.test(n.name);
  const byRefs = [...models].sort((a, b) => b.refs.length - a.refs.length || a.name.localeCompare(b.name));
  const mart = byRefs.find(isMart) ?? byRefs[0];
  const tested = byRefs.find(n => n !== mart && isMart(n)) ?? byRefs.find(n => n !== mart) ?? mart;
  const staging = models.find(isStaging) ?? byRefs.at(-1)!;
  return [`What feeds ${mart.name}?`, `Which tests cover ${tested.name}?`, `Who changed ${staging.name} last?`];
}
