// The chat shows the agent's own words (and why it stopped early) from `text` and `note`; the SQL, the rows and the
// sources come as their own fields. Checked against core's real answer parts, so nothing is stripped from markdown.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { answerProse, composeAnswer } from '../../../src/core/agent/answer';
import type { AgentAnswer } from '../../../src/core/agent/types';
import { agentChatText } from '../../../src/extension/chat/agentText';
import type { QueryResult } from '../../../src/core/warehouse/connection';

const sql = 'select channel_name, sum(net_revenue) as revenue\nfrom marts.fct_orders group by 1';
const result: QueryResult = { columns: [{ name: 'channel_name', type: 'VARCHAR' }, { name: 'revenue', type: 'DOUBLE' }], rows: [['web', 10], ['store', 5]], truncated: false, elapsedMs: 3, sql };
const sources = { citations: [], lines: ['fct_orders [1] (net_revenue [2])'] };

/** An answer as core's agent builds one: the same parts make the CLI's markdown and the UIs' text. */
function agentAnswer(words: string, note?: string, shown?: QueryResult): AgentAnswer {
  return {
    answer: composeAnswer({ text: words, note, sql, shown, sources }), text: answerProse({ text: words, shown }), ...(note ? { note } : {}),
    mode: 'llm', sql, ...(shown ? { result: shown } : {}), citations: [], steps: 3,
  };
}

describe('agent answer text in the chat', () => {
  test('the words and the note; no SQL block, result table or sources line (the view shows those itself)', () => {
    const a = agentAnswer('Web sells most.', 'A note.', result);
    assert.match(a.answer, /```sql[\s\S]*\| web \|[\s\S]*\*\*Sources:\*\*/, 'the CLI markdown has them all');
    assert.equal(agentChatText(a), 'Web sells most.\n\n_A note._');
  });

  test('without a note, the words alone; without words, core\'s stand-in', () => {
    assert.equal(agentChatText(agentAnswer('Web sells most.', undefined, result)), 'Web sells most.');
    assert.equal(agentChatText(agentAnswer('', undefined, result)), 'Here is the result.');
  });

  test('words that themselves hold a SQL block or a table are kept as the model wrote them', () => {
    const words = 'Compare with:\n\n```sql\nselect 1\n```\n\n| a |\n| - |\n| 1 |';
    assert.equal(agentChatText(agentAnswer(words, undefined, result)), words);
  });
});
