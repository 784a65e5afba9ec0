// The agent's answer as the chat view shows it: the model's words and why the run stopped early. The SQL, the rows
// and the sources are not in this text: the view shows them as a coloured SQL block, a grid and citation chips.
// Pure (no vscode import), so node tests check it.
import type { AgentAnswer } from '../../core/agent/types';

export function agentChatText(a: Pick<AgentAnswer, 'text' | 'note'>): string {
  return a.note ? `${a.text}\n\n_${a.note}_` : a.text;
}
