// Questions worded for the answerers' intent rules: what a chat slash command (/lineage fct_orders) or the
// "Explain" action asks, so the offline answerer reads them as lineage, history, tests or a description.
import type { DbtNode } from '../types';

/** Slash commands of the `@dea` chat participant (declared in package.json) → the start of the question. */
export const COMMAND_PREFIX: Readonly<Record<string, string>> = {
  explain: 'Explain ',
  lineage: 'What is upstream and downstream of ',
  history: 'Who changed and what changed recently in ',
  tests: 'Which tests cover ',
};

/** The question a chat request asks: the command's wording, then what the user typed. */
export function commandQuestion(command: string | undefined, prompt: string): string {
  return `${command ? COMMAND_PREFIX[command] ?? '' : ''}${prompt}`.trim();
}

/** "Explain the model fct_orders": read as a description (not lineage or grain) by the offline answerer. */
export function explainQuestion(node: Pick<DbtNode, 'name' | 'resourceType'>): string {
  return `Explain the ${node.resourceType} ${node.name}`;
}
