// The final answer: the model's words, then the SQL it relied on, the result as a table and the sources.
import type { QueryResult } from '../warehouse/connection';
import type { SqlCitations } from './citations';
import { markdownTable, resultSummary } from './resultText';

export interface AnswerParts {
  text: string;
  sql?: string;
  /** Heading of the SQL block (default "SQL"). */
  sqlLabel?: string;
  /** The rows to show in the answer text (masked when personal data is not allowed: answers may reach a model later). */
  shown?: QueryResult;
  sources?: SqlCitations;
  note?: string;
}

/** The model's words, or a one-line stand-in when it said nothing (a result may still have come back). */
export function answerProse(p: Pick<AnswerParts, 'text' | 'shown'>): string {
  return p.text.trim() || (p.shown ? 'Here is the result.' : 'I could not answer from the warehouse.');
}

/** The whole answer as markdown (the CLI's format): words, note, SQL block, result table, sources. */
export function composeAnswer(p: AnswerParts): string {
  const parts = [answerProse(p)];
  if (p.note) parts.push(`_${p.note}_`);
  if (p.sql) parts.push(`**${p.sqlLabel ?? 'SQL'}**\n\n${sqlFence(p.sql)}`);
  if (p.shown) parts.push(`**Result** (${resultSummary(p.shown)})\n\n${markdownTable(p.shown, 20)}`);
  if (p.sources?.lines.length) parts.push(`**Sources:** ${p.sources.lines.join('; ')}`);
  return parts.join('\n\n');
}

/** A ```sql block whose fence is longer than any backtick run in the SQL, so the SQL cannot close it early. */
export function sqlFence(sql: string): string {
  const longest = Math.max(2, ...[...sql.matchAll(/`+/g)].map(m => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}sql\n${sql.trim()}\n${fence}`;
}
