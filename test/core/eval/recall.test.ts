import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine';
import { evaluate, loadQuestions } from '../../../src/cli/eval';
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { copyExample, type ExampleCopy } from '../../support/example';

const QUESTIONS = path.resolve(__dirname, '../../../examples/questions.yaml');
let ex: ExampleCopy;
let indexDir: string;

before(() => {
  ex = copyExample();
  indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-eval-'));
});
after(() => {
  ex.cleanup();
  fs.rmSync(indexDir, { recursive: true, force: true });
});

test('offline answers cite what the example question set requires (recall@5 >= 0.9)', async () => {
  const built = await ensureExampleWarehouse(ex.dir);
  assert.ok(built && built.failed.length === 0, `warehouse build failures: ${JSON.stringify(built?.failed)}`);
  const questions = loadQuestions(QUESTIONS, 'examples/shopwise/');
  assert.ok(questions.length >= 40);
  const engine = await Engine.open({ workspace: ex.dir, indexDir, embedding: { kind: 'hashed' } });
  try {
    await engine.refresh();
    assert.ok(engine.status().warehouse?.tables, 'warehouse metadata read');
    const { results, mean } = await evaluate(engine, questions);
    const misses = results.filter(r => r.recall < 1).map(r => `${r.id}: missing ${r.missing.join(', ')}`);
    console.log(`recall@5 = ${mean.toFixed(3)} over ${results.length} questions${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
    assert.ok(mean >= 0.9, `recall@5 ${mean.toFixed(3)} < 0.9`);
    const unknown = results.filter(r => questions.find(q => q.id === r.id)?.expectUnknown);
    assert.ok(unknown.every(r => r.recall === 1), 'questions about things that do not exist cite nothing');
  } finally {
    await engine.close();
  }
});
