// The agent's answer in its two forms: the whole markdown (CLI) and the model's words alone (chat UIs), composed
// from the same parts; SQL fences that SQL text cannot break.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answerProse, composeAnswer, sqlFence } from '../../../src/core/agent/answer';
import type { QueryResult } from '../../../src/core/warehouse/connection';

const sql = 'select channel_name, sum(net_revenue) as revenue\nfrom marts.fct_orders group by 1';
const result: QueryResult = { columns: [{ name: 'channel_name', type: 'VARCHAR' }, { name: 'revenue', type: 'DOUBLE' }], rows: [['web', 10], ['store', 5]], truncated: false, elapsedMs: 3, sql };
const sources = { citations: [], lines: ['fct_orders [1] (net_revenue [2])'] };

describe('agent answer text', () => {
  test('the whole answer has the words, the note, the SQL block, the table and the sources; the prose has the words only', () => {
    const parts = { text: '  Web sells most. ', sql, shown: result, sources, note: 'A note.' };
    const full = composeAnswer(parts);
    assert.equal(full, `Web sells most.\n\n_A note._\n\n**SQL**\n\n\`\`\`sql\n${sql}\n\`\`\`\n\n**Result** (2 rows in 3 ms)\n\n`
      + '| channel_name | revenue |\n| --- | ---: |\n| web | 10 |\n| store | 5 |\n\n**Sources:** fct_orders [1] (net_revenue [2])');
    assert.equal(answerProse(parts), 'Web sells most.');
  });

  test('with no words from the model the prose is a stand-in that depends on whether rows came back', () => {
    assert.equal(answerProse({ text: ' ', shown: result }), 'Here is the result.');
    assert.equal(answerProse({ text: '' }), 'I could not answer from the warehouse.');
    // A declined query has SQL but no rows: it must not claim a result.
    assert.match(composeAnswer({ text: '', sql, sqlLabel: 'SQL (not run)' }), /^I could not answer from the warehouse\.\n\n\*\*SQL \(not run\)\*\*/);
  });

  test('a fence is longer than any backtick run inside the SQL', () => {
    assert.equal(sqlFence('select 1 '), '```sql\nselect 1\n```');
    const tricky = 'select \'```\' as x, \'````\' as y';
    const block = sqlFence(tricky);
    assert.ok(block.startsWith('`````sql\n') && block.endsWith('\n`````'), block);
    const inner = block.slice('`````sql\n'.length, -'\n`````'.length);
    assert.equal(inner, tricky);
  });
});
