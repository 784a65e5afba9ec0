// The agent's answer text as the chat shows it. Pure (no vscode import), so node tests can check it against core's
// real answer format.
import type { AgentAnswer } from '../../core/agent/types';

/**
 * The agent appends the SQL and a markdown copy of the result to its answer (for the CLI); the chat shows both as
 * a coloured SQL block and a sortable grid, so those two parts are left out of the markdown here. The declined
 * SQL ("SQL (not run)") and the sources line stay.
 */
export function withoutAppendedParts(a: Pick<AgentAnswer, 'answer' | 'sql' | 'result'>): string {
  let text = a.answer;
  if (a.sql) text = text.replace(`\n\n**SQL**\n\n\`\`\`sql\n${a.sql.trim()}\n\`\`\``, '');
  if (a.result) text = text.replace(/\n\n\*\*Result\*\* \([^\n]*\)\n\n[^\n]+(?:\n[^\n]+)*/, '');
  return text.trim();
}
