// The approval flow's pure helpers: offsets → VS Code line/character (LF, CRLF, CR, astral characters), merging of
// touching edits (the result must equal core's applyEdits), and the words describing changes.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/edits/apply';
import type { TextEdit } from '../../../src/core/edits/types';
import { describeChange, lineColAt, mergeTouching, touchedPaths } from '../../../src/extension/edits/editRanges';

/** Where VS Code puts an offset, computed the slow way: split on its three line breaks. */
function reference(text: string, offset: number): { line: number; character: number } {
  const inPair = offset > 0 && text[offset - 1] === '\r' && text[offset] === '\n'; // VS Code puts it at the line's end
  const lines = text.slice(0, inPair ? offset - 1 : offset).split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

describe('lineColAt', () => {
  test('matches a line split on LF, CRLF and lone CR at every offset', () => {
    const text = 'models:\r\n  - name: a # 😀 emoji\n\n  - name: b\rend\r\n';
    for (let i = 0; i <= text.length; i++) {
      assert.deepEqual(lineColAt(text, i), reference(text, i), `offset ${i}`);
    }
  });

  test('clamps offsets outside the text', () => {
    assert.deepEqual(lineColAt('ab\ncd', 99), { line: 1, character: 2 });
    assert.deepEqual(lineColAt('ab', -3), { line: 0, character: 0 });
  });
});

describe('mergeTouching', () => {
  const text = 'select order_id from orders where x = 1\n';
  const cases: [string, TextEdit[]][] = [
    ['two insertions at one offset keep their order', [{ start: 6, end: 6, newText: ' a,' }, { start: 6, end: 6, newText: ' b,' }]],
    ['a replacement followed by an insertion at its end', [{ start: 7, end: 15, newText: 'order_key' }, { start: 15, end: 15, newText: ' as order_id' }]],
    ['an insertion right before a replacement', [{ start: 21, end: 27, newText: 'o' }, { start: 21, end: 21, newText: '/* src */ ' }]],
    ['unsorted, separate edits stay separate', [{ start: 34, end: 39, newText: 'y = 2' }, { start: 0, end: 6, newText: 'SELECT' }]],
  ];
  for (const [name, edits] of cases) {
    test(name, () => {
      const merged = mergeTouching(edits);
      assert.equal(applyEdits(text, merged), applyEdits(text, edits));
      for (let i = 1; i < merged.length; i++) assert.ok(merged[i].start > merged[i - 1].end, 'no two merged edits touch');
    });
  }

  test('unsorted separate edits are sorted, not merged', () => {
    assert.deepEqual(mergeTouching(cases[3][1]).map(e => e.start), [0, 34]);
  });
});

describe('describing changes', () => {
  test('create, modify and rename in words; touched paths once each, both ends of a rename', () => {
    const changes = [
      { kind: 'create' as const, path: 'dags/dbt_shop.py', text: 'a\nb\n' },
      { kind: 'modify' as const, path: 'models/_m.yml', before: 'x', edits: [{ start: 0, end: 1, newText: 'y' }, { start: 1, end: 1, newText: 'z' }] },
      { kind: 'rename' as const, path: 'models/a.sql', newPath: 'models/b.sql' },
      { kind: 'modify' as const, path: 'models/_m.yml', before: 'x', edits: [{ start: 0, end: 1, newText: 'y' }] },
    ];
    assert.deepEqual(changes.map(describeChange), [
      'create dags/dbt_shop.py (2 lines)', 'edit models/_m.yml (2 changes)', 'rename models/a.sql to models/b.sql', 'edit models/_m.yml (1 change)',
    ]);
    assert.deepEqual(touchedPaths(changes), ['dags/dbt_shop.py', 'models/_m.yml', 'models/a.sql', 'models/b.sql']);
  });
});
