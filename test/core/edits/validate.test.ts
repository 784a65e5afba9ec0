// Validation catches broken plans before they are shown: invalid YAML, new dbt parser problems, refs/sources/doc()
// that do not resolve, duplicate entries/columns/tests, malformed Jinja, stale or inconsistent edits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges, applyEdits } from '../../../src/core/edits/apply';
import { diskReader } from '../../../src/core/edits/documentContext';
import { planDocumentation } from '../../../src/core/edits/document';
import type { EditPlan, FileChange } from '../../../src/core/edits/types';
import { validatePlan } from '../../../src/core/edits/validate';
import { openExample, type ExampleWorkspace } from './docsFixture';

let ws: ExampleWorkspace;
before(async () => { ws = await openExample(); });
after(async () => { await ws?.close(); });

const CORE = 'models/marts/core/_core__models.yml';

function plan(...changes: FileChange[]): EditPlan {
  return { title: 't', explanation: '', changes, citations: [], problems: [] };
}

/** A modify change inserting `text` right after the first occurrence of `anchor` in the current file. */
function insertAfter(rel: string, anchor: string, text: string): FileChange {
  const before = ws.read(rel);
  const at = before.indexOf(anchor);
  assert.ok(at >= 0, `${anchor} in ${rel}`);
  return { kind: 'modify', path: rel, before, edits: [{ start: at + anchor.length, end: at + anchor.length, newText: text }] };
}

async function problems(p: EditPlan): Promise<string[]> {
  const snap = await ws.engine.snapshot();
  return (await validatePlan(p, snap, diskReader(ws.dir))).map(x => {
    assert.equal(x.severity, 'error');
    return `${x.path}: ${x.message}`;
  });
}

describe('validatePlan', () => {
  test('a plan from the planner is clean', async () => {
    const p = await planDocumentation(ws.engine, 'int_customer_order_history');
    assert.equal(p.changes.length, 1);
    assert.deepEqual(await problems(p), []);
  });

  test('YAML that no longer parses', async () => {
    const got = await problems(plan(insertAfter(CORE, '  - name: fct_order_items\n', '    description: [unclosed\n')));
    assert.equal(got.length, 1);
    assert.match(got[0], /^models\/marts\/core\/_core__models\.yml: Validation: the result is not valid YAML/);
  });

  test('a new problem of the dbt parser (an entry without a name)', async () => {
    const got = await problems(plan(insertAfter(CORE, 'models:\n', '  - description: nameless\n')));
    assert.deepEqual(got, ['models/marts/core/_core__models.yml: Validation: dbt would report: This `models:` entry has no `name:`; dbt needs one to know what it describes.']);
  });

  test('refs, sources and doc() references that do not resolve', async () => {
    const last = '      - name: is_discounted\n        description: True when a coupon reduced the line.\n';
    const rel = insertAfter(CORE, last, "      - name: extra_key\n        data_tests:\n          - relationships:\n              to: ref('no_such_model')\n              field: customer_id\n");
    assert.deepEqual(await problems(plan(rel)), ["models/marts/core/_core__models.yml: Validation: ref('no_such_model') does not resolve (no model, seed or snapshot has that name)."]);
    const src = insertAfter(CORE, last, "      - name: extra_key\n        data_tests:\n          - relationships:\n              to: source('shop', 'nope')\n              field: id\n");
    assert.deepEqual(await problems(plan(src)), ["models/marts/core/_core__models.yml: Validation: source('shop', 'nope') does not resolve (no source declares that table)."]);
    const doc = insertAfter(CORE, last, "      - name: extra_key\n        description: '{{ doc(\"no_such_block\") }}'\n");
    assert.deepEqual(await problems(plan(doc)), [
      "models/marts/core/_core__models.yml: Validation: {{ doc('no_such_block') }} names no docs block. Write the block or use another description.",
    ]);
  });

  test('a key written twice (the first one would be silently ignored)', async () => {
    const got = await problems(plan(insertAfter(CORE, '  - name: fct_order_items\n', '    description: shadowed\n')));
    // The entry's own description, one line further down now, is the second occurrence.
    const line = ws.read(CORE).split('\n').indexOf('  - name: fct_order_items') + 3;
    assert.deepEqual(got, [`models/marts/core/_core__models.yml: Validation: the result writes a key twice in one mapping (line ${line}); dbt would silently keep only the last one.`]);
  });

  test('duplicates: an entry documented in another file, a column listed twice, a test declared twice', async () => {
    const other = await problems(plan({ kind: 'create', path: 'models/marts/core/extra.yml', text: 'version: 2\nmodels:\n  - name: fct_orders\n    description: again\n' }));
    assert.deepEqual(other, ['models/marts/core/extra.yml: Validation: model fct_orders is already documented in models/marts/core/_core__models.yml; a second entry would be a duplicate.']);
    const column = await problems(plan(insertAfter(CORE, '      - name: is_discounted\n        description: True when a coupon reduced the line.\n', '      - name: is_discounted\n')));
    assert.deepEqual(column, ['models/marts/core/_core__models.yml: Validation: column is_discounted of fct_order_items is listed twice in the result.']);
    const testTwice = await problems(plan(insertAfter(CORE, '      - name: order_item_id\n        description: Primary key of the order line.\n        data_tests:\n          - unique\n', '          - unique\n')));
    assert.deepEqual(testTwice, ['models/marts/core/_core__models.yml: Validation: unique is declared twice on fct_order_items.order_item_id in the result.']);
  });

  test('SQL: malformed Jinja and a ref to nothing', async () => {
    const rel = 'models/staging/shop/stg_shop__orders.sql';
    const broken = await problems(plan(insertAfter(rel, 'from ', "{{ ref('stg_shop__customers') ")));
    assert.ok(broken.some(m => /Validation: malformed Jinja in the result: Malformed Jinja: `\{\{` is never closed/.test(m)), broken.join('\n'));
    const text = ws.read(rel);
    const unknown = await problems(plan({ kind: 'modify', path: rel, before: text, edits: [{ start: text.length, end: text.length, newText: "\n-- {{ ref('stg_nothing') }}\n" }] }));
    assert.deepEqual(unknown, [`${rel}: Validation: ref('stg_nothing') does not resolve (no model, seed or snapshot has that name).`]);
    // A plan that adds the model it refs is fine.
    const withModel = await problems(plan(
      { kind: 'modify', path: rel, before: text, edits: [{ start: text.length, end: text.length, newText: "\n-- {{ ref('stg_nothing') }}\n" }] },
      { kind: 'create', path: 'models/staging/shop/stg_nothing.sql', text: 'select 1 as id\n' },
    ));
    assert.deepEqual(withModel, []);
  });

  test('stale and inconsistent plans', async () => {
    const stale = insertAfter(CORE, 'models:\n', '');
    if (stale.kind === 'modify') stale.before = stale.before.replace('version: 2', 'version: 3');
    assert.match((await problems(plan(stale)))[0], /Validation: models\/marts\/core\/_core__models\.yml changed since the plan was made; re-plan/);
    const before = ws.read(CORE);
    const overlap = await problems(plan({ kind: 'modify', path: CORE, before, edits: [{ start: 0, end: 10, newText: 'a' }, { start: 5, end: 12, newText: 'b' }] }));
    assert.match(overlap[0], /Validation: The planned edits of .* are inconsistent: edits overlap at offset 5/);
    const exists = await problems(plan({ kind: 'create', path: CORE, text: 'models: []\n' }));
    assert.match(exists[0], /already exists; the plan would overwrite it/);
  });
});

describe('applyChanges', () => {
  test('create, modify and rename in order; insertions at one offset keep their order; problems instead of throws', () => {
    const r = applyChanges({ 'a.yml': 'x: 1\n' }, [
      { kind: 'modify', path: 'a.yml', before: 'x: 1\n', edits: [{ start: 5, end: 5, newText: 'y: 2\n' }, { start: 5, end: 5, newText: 'z: 3\n' }] },
      { kind: 'rename', path: 'a.yml', newPath: 'b.yml' },
      { kind: 'create', path: 'c.yml', text: 'c: 1\n' },
      { kind: 'modify', path: 'missing.yml', before: 'm\n', edits: [{ start: 0, end: 1, newText: 'n' }] },
    ]);
    assert.deepEqual([...r.files], [['a.yml', null], ['b.yml', 'x: 1\ny: 2\nz: 3\n'], ['c.yml', 'c: 1\n'], ['missing.yml', 'n\n']]);
    assert.deepEqual(r.problems, []);
    const bad = applyChanges(new Map(), [{ kind: 'rename', path: 'nope', newPath: 'x' }, { kind: 'modify', path: 'y', before: 'ab', edits: [{ start: 1, end: 9, newText: '' }] }]);
    assert.equal(bad.files.size, 0);
    assert.deepEqual(bad.problems.map(p => p.message), ['nope does not exist; it cannot be renamed.', 'The planned edits of y are inconsistent: edit [1, 9) is outside the text (length 2).']);
    assert.throws(() => applyEdits('abc', [{ start: 2, end: 1, newText: '' }]), /outside the text/);
  });
});
