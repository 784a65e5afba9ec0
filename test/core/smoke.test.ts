import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Citation } from '../../src/core/types';

test('types compile', () => {
  const c: Citation = { path: 'models/a.sql', kind: 'model' };
  assert.equal(c.path, 'models/a.sql');
});
