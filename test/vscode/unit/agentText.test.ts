// The chat drops the SQL block and the markdown result table the agent appends (it shows them as a coloured block
// and a grid): checked against core's real answer composer, so a format change there fails here.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { composeAnswer } from '../../../src/core/agent/answer';
import { withoutAppendedParts } from '../../../src/extension/chat/agentText';
import type { QueryResult } from '../../../src/core/warehouse/connection';

const sql = 'select channel_name, sum(net_revenue) as revenue\nfrom marts.fct_orders group by 1';
const result: QueryResult = { columns: [{ name: 'channel_name', type: 'VARCHAR' }, { name: 'revenue', type: 'DOUBLE' }], rows: [['web', 10], ['store', 5]], truncated: false, elapsedMs: 3, sql };
const sources = { citations: [], lines: ['fct_orders [1] (net_revenue [2])'] };

describe('agent answer text in the chat', () => {
  test('the SQL block and the result table go; the words, the note and the sources stay', () => {
    const full = composeAnswer({ text: 'Web sells most.', sql, shown: result, sources, note: 'A note.' });
    assert.match(full, /```sql/, 'core appends the SQL');
    assert.match(full, /\| web \|/, 'core appends the table');
    const shown = withoutAppendedParts({ answer: full, sql, result });
    assert.equal(shown, 'Web sells most.\n\n_A note._\n\n**Sources:** fct_orders [1] (net_revenue [2])');
  });

  test('a declined query keeps its SQL, labelled as not run', () => {
    const full = composeAnswer({ text: 'No numbers.', sql, sqlLabel: 'SQL (not run)' });
    assert.equal(withoutAppendedParts({ answer: full }), full);
  });

  test('a result cut at the row limit loses its table and the notes under it', () => {
    const many = { ...result, rows: Array.from({ length: 30 }, (_, i) => [`c${i}`, i]), truncated: true };
    const full = composeAnswer({ text: 'Many.', sql, shown: many });
    assert.equal(withoutAppendedParts({ answer: full, sql, result: many }), 'Many.');
  });
});
