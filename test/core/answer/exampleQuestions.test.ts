// Example questions for an empty chat: they name real models of the project, and each one gets a cited answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleQuestions } from '../../../src/core/answer/exampleQuestions';
import { classify } from '../../../src/core/answer/intent';
import type { DbtNode } from '../../../src/core/types';
import { openExampleEngine, type ExampleEngine } from './exampleEngine';

const node = (name: string, path: string, refs: number): DbtNode => ({
  uniqueId: `model.p.${name}`, resourceType: 'model', name, project: 'p', location: { path, startLine: 1, endLine: 5 }, docRefs: [], columns: [], tests: [],
  config: { tags: [], other: {} }, tags: [], meta: {}, refs: Array.from({ length: refs }, (_, i) => ({ name: `r${i}` })), sources: [], macros: [], ctes: [], isIncremental: false, props: {},
});

describe('example questions', () => {
  test('name a mart with many parents, another mart and a staging model', () => {
    const q = exampleQuestions([node('stg_a', 'models/staging/stg_a.sql', 0), node('fct_big', 'models/marts/fct_big.sql', 4), node('dim_x', 'models/marts/dim_x.sql', 1)]);
    assert.deepEqual(q, ['What feeds fct_big?', 'Which tests cover dim_x?', 'Who changed stg_a last?']);
  });

  test('fall back to generic questions without models', () => {
    assert.deepEqual(exampleQuestions([]), ['Which models are in this project?', 'What changed recently?']);
  });

  describe('on the example project', () => {
    let ex: ExampleEngine;
    before(async () => { ex = await openExampleEngine(); });
    after(async () => { await ex?.close(); });

    test('each question names a model of the project, asks a different kind of thing, and gets an answer citing that model', async () => {
      const snap = await ex.engine.snapshot();
      const questions = exampleQuestions(snap.graph.nodes());
      assert.equal(questions.length, 3);
      assert.deepEqual(questions.map(classify), ['upstream', 'tests', 'history']);
      for (const q of questions) {
        const name = /(\w+)\s*(?:last)?\?$/.exec(q)?.[1] ?? '';
        const model = snap.graph.resolve(name);
        assert.equal(model?.resourceType, 'model', `"${q}" does not name a model`);
        const a = await ex.engine.ask(q, { offline: true });
        assert.ok(a.citations.length, `"${q}" got no citations: ${a.answer}`);
        assert.ok(a.citations.some(c => c.path === model!.location!.path || c.nodeId === model!.uniqueId || c.title === model!.name),
          `"${q}" cites ${a.citations.map(c => `${c.path} ${c.title ?? ''}`).join(', ')}`);
      }
    });
  });
});
