// The node a place in a file is about, on the example project: a model's SQL, its YAML entry (also at a column
// line inside it), a source entry, a singular test file, and a file that defines nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeAt } from '../../../src/core/workspace/nodeAt';
import { WorkspaceLoader } from '../../../src/core/workspace/load';
import type { WorkspaceSnapshot } from '../../../src/core/workspace/snapshot';
import { copyExample, type ExampleCopy } from '../../support/example';

let ex: ExampleCopy;
let snap: WorkspaceSnapshot;
before(async () => {
  ex = copyExample({ history: false });
  snap = await new WorkspaceLoader(ex.dir, { noHistory: true }).load();
});
after(() => ex?.cleanup());

/** 1-based line of the first line of `rel` matching `re`. */
function lineOf(rel: string, re: RegExp): number {
  const i = fs.readFileSync(path.join(ex.dir, rel), 'utf8').split('\n').findIndex(l => re.test(l));
  assert.ok(i >= 0, `${re} not in ${rel}`);
  return i + 1;
}

describe('nodeAt', () => {
  test('any line of a model file is that model', () => {
    const rel = 'models/marts/core/fct_orders.sql';
    for (const line of [1, lineOf(rel, /\bfrom\b/), lineOf(rel, /\bselect\b/)]) assert.equal(nodeAt(snap, rel, line)?.name, 'fct_orders');
  });

  test('in a YAML file, the entry under the cursor: the model at its name and at one of its columns', () => {
    const rel = 'models/marts/core/_core__models.yml';
    assert.equal(nodeAt(snap, rel, lineOf(rel, /- name: dim_customers\s*$/))?.name, 'dim_customers');
    const node = snap.graph.resolve('fct_orders')!;
    const column = node.columns.find(c => c.location)!;
    assert.equal(nodeAt(snap, rel, column.location!.startLine)?.name, 'fct_orders', 'a column line means its model, not a test on it');
  });

  test('a source table entry is that source', () => {
    const rel = 'models/staging/shop/_shop__sources.yml';
    const source = snap.graph.nodes().find(n => n.resourceType === 'source' && n.location?.path === rel)!;
    assert.equal(nodeAt(snap, rel, source.location!.startLine)?.uniqueId, source.uniqueId);
  });

  test('a singular test file is that test; a file that defines no node gives nothing', () => {
    const rel = 'tests/assert_order_totals_match_payments.sql';
    const n = nodeAt(snap, rel, 1);
    assert.equal(n?.resourceType, 'test');
    assert.equal(n?.location?.path, rel);
    assert.equal(nodeAt(snap, 'README.md', 1), undefined);
    assert.equal(nodeAt(snap, 'models/does_not_exist.sql', 3), undefined);
  });
});
