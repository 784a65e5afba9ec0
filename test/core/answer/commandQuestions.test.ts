// Slash commands and "Explain" become questions the answerers read the intended way, and answer about the model.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_PREFIX, commandQuestion, explainQuestion } from '../../../src/core/answer/commandQuestions';
import { classify } from '../../../src/core/answer/intent';
import { openExampleEngine, type ExampleEngine } from './exampleEngine';

describe('command questions', () => {
  test('each slash command is read as its own kind of question', () => {
    assert.equal(classify(commandQuestion('lineage', 'fct_orders')), 'downstream', 'answered both ways by the downstream handler');
    assert.equal(classify(commandQuestion('history', 'fct_orders')), 'history');
    assert.equal(classify(commandQuestion('tests', 'fct_orders')), 'tests');
    assert.equal(classify(commandQuestion('explain', 'fct_orders')), 'describe');
    assert.equal(classify(explainQuestion({ name: 'fct_orders', resourceType: 'model' })), 'describe');
  });

  test('no command, or one not declared, leaves the prompt as typed', () => {
    assert.equal(commandQuestion(undefined, '  What feeds x? '), 'What feeds x?');
    assert.equal(commandQuestion('unknown', 'fct_orders'), 'fct_orders');
  });

  describe('on the example project', () => {
    let ex: ExampleEngine;
    before(async () => { ex = await openExampleEngine(); });
    after(async () => { await ex?.close(); });

    test('/lineage answers both directions: the parents and the children of the model, each cited', async () => {
      const a = await ex.engine.ask(commandQuestion('lineage', 'int_order_totals'), { offline: true });
      const snap = await ex.engine.snapshot();
      const up = snap.graph.upstream('model.shopwise.int_order_totals', 1).map(h => h.node);
      const down = snap.graph.downstream('model.shopwise.int_order_totals', 1).map(h => h.node);
      assert.ok(up.length && down.length, 'the model has parents and children');
      assert.match(a.answer, /is built from \(upstream/);
      assert.match(a.answer, /depend on .*\(downstream/);
      assert.ok(a.answer.indexOf('upstream') < a.answer.indexOf('downstream'), 'upstream first');
      for (const n of [...up, ...down]) {
        assert.ok(a.answer.includes(`\`${n.name}\``), `${n.name} missing from:\n${a.answer}`);
        if (n.location) assert.ok(a.citations.some(c => c.path === n.location!.path), `${n.name} not cited`);
      }
    });

    test('every command question about a model is answered citing that model', async () => {
      for (const command of Object.keys(COMMAND_PREFIX)) {
        const a = await ex.engine.ask(commandQuestion(command, 'dim_customers'), { offline: true });
        assert.ok(a.citations.some(c => c.path === 'models/marts/core/dim_customers.sql' || c.nodeId === 'model.shopwise.dim_customers'),
          `/${command}: ${a.citations.map(c => c.path).join(', ')}`);
      }
    });
  });
});
