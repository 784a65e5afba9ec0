import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRefresh } from '../../../src/core/index/refresh';
import { doc } from './helpers';

test('planRefresh: new and changed documents are computed, vanished ones removed, equal hashes kept', () => {
  const a = doc('a', 'one'), b = doc('b', 'two'), c = doc('c', 'three');
  const stored = new Map([[a.id, a.hash], [b.id, b.hash], ['gone', 'h']]);
  const b2 = doc('b', 'two, edited');
  const plan = planRefresh(stored, [a, b2, c]);
  assert.deepEqual(plan.compute.map(d => d.id).sort(), ['b', 'c']);
  assert.deepEqual(plan.remove, ['gone']);
  assert.equal(plan.unchanged, 1);
});

test('planRefresh: a repeated id counts once, the last occurrence wins', () => {
  const first = doc('x', 'old'), last = doc('x', 'new');
  const plan = planRefresh(new Map([['x', first.hash]]), [first, last]);
  assert.deepEqual(plan.compute, [last]);
  assert.equal(plan.unchanged, 0);
  assert.deepEqual(planRefresh(new Map(), []), { compute: [], remove: [], unchanged: 0 });
});
