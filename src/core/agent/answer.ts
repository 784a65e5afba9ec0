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

export function composeAnswer(p: AnswerParts): string {
  const parts = [p.text.trim() || (p.sql ? 'Here is the result.' : 'I could not answer from the warehouse.')];
  if (p.note) parts.push(`_${p.note}_`);
  if (p.sql) parts.push(`**${p.sqlLabel ?? 'SQL'}**\n\n\`\`\`sql\n${p.sql.trim()}\n\`\`\``);
  if (p.shown) parts.push(`**Result** (${resultSummary(p.shown)})\n\n${markdownTable(p.shown, 20)}`);
  if (p.sources?.lines.length) parts.push(`**Sources:** ${p.sources.lines.join('; ')}`);
  return parts.join('\n\n');
}
