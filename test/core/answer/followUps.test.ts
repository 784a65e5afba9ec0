// Follow-up questions under an answer: about the first model the answer cites, never repeating the kind of question
// just asked, and each one answerable (asked offline on the example project, it cites the same model).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { suggestFollowUps } from '../../../src/core/answer/followUps';
import { classify } from '../../../src/core/answer/intent';
import { openExampleEngine, type ExampleEngine } from './exampleEngine';

describe('follow-up suggestions', () => {
  const cites = [{ path: 'models/fct_orders.sql', kind: 'model', title: 'fct_orders', startLine: 1 }];

  test('suggest other questions about the first cited model, not the one just asked', () => {
    const f = suggestFollowUps('What is downstream of fct_orders?', cites);
    assert.equal(f.length, 3);
    assert.ok(f.every(q => q.includes('fct_orders')));
    assert.ok(!f.some(q => /downstream/.test(q)));
  });

  test('a commit citation is not a subject; a node citation after it is', () => {
    const f = suggestFollowUps('hi', [{ path: 'models/a.sql', kind: 'commit', commit: 'abc1234', title: 'Fix totals' }, { path: 'models/b.sql', kind: 'model', title: 'dim_b' }]);
    assert.ok(f.length && f.every(q => q.includes('dim_b')), f.join(' | '));
  });

  test('nothing to suggest without a named citation, or with a name that is not an identifier', () => {
    assert.deepEqual(suggestFollowUps('hi', [{ path: 'a.sql', kind: 'model' }]), []);
    assert.deepEqual(suggestFollowUps('hi', [{ path: 'a.sql', kind: 'model', title: 'bad name; drop' }]), []);
    assert.deepEqual(suggestFollowUps('hi', []), []);
  });

  describe('on the example project', () => {
    let ex: ExampleEngine;
    before(async () => { ex = await openExampleEngine(); });
    after(async () => { await ex?.close(); });

    test('the follow-ups of a real answer ask other kinds of question, and each is answered citing the same model', async () => {
      const question = 'What feeds fct_orders?';
      const first = await ex.engine.ask(question, { offline: true });
      const followUps = suggestFollowUps(question, first.citations);
      assert.equal(followUps.length, 3, followUps.join(' | '));
      const intents = followUps.map(classify);
      assert.ok(!intents.includes(classify(question)), `repeats the question's kind: ${intents.join(', ')}`);
      assert.equal(new Set(intents).size, 3, `three different kinds: ${intents.join(', ')}`);
      for (const f of followUps) {
        const a = await ex.engine.ask(f, { offline: true });
        assert.ok(a.citations.some(c => c.path.endsWith('fct_orders.sql') || c.title === 'fct_orders' || c.nodeId === 'model.shopwise.fct_orders'),
          `"${f}" cites ${a.citations.map(c => c.path).join(', ')}`);
      }
    });
  });
});
