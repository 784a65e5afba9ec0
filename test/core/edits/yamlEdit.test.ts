// Node-by-node YAML editing on hand-written files: comments, anchors, flow style, odd indentation and CRLF survive
// byte for byte; the result parses (with yaml and with our dbt parser) and holds the change; nothing is duplicated.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { DbtProjectInfo } from '../../../src/core/types';
import { parsePropertiesFile } from '../../../src/core/dbt/properties';
import { applyEdits } from '../../../src/core/edits/apply';
import { diffToEdits } from '../../../src/core/edits/applyDiff';
import { FlowList, YamlFileEditor, type EntrySpec, type EntryTarget, type YamlEditOptions } from '../../../src/core/edits/yamlEdit';
import { decideStyle, styleVotes } from '../../../src/core/edits/yamlEditStyle';

const FIXTURES = path.resolve(__dirname, '../../fixtures/edits/yaml');
const INFO: DbtProjectInfo = {
  name: 'p', root: '', configPath: 'dbt_project.yml', modelPaths: ['models'], seedPaths: ['seeds'], macroPaths: ['macros'],
  snapshotPaths: ['snapshots'], testPaths: ['tests'], analysisPaths: ['analyses'], docsPaths: ['models'], targetPath: 'target',
  resourceConfigs: {}, vars: {},
};
const OPTS: YamlEditOptions = { testsKey: 'data_tests' };

function fixture(name: string, crlf = false): string {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8').replace(/\r\n/g, '\n');
  return crlf ? text.replace(/\n/g, '\r\n') : text;
}

function editor(name: string, text = fixture(name)): YamlFileEditor {
  return new YamlFileEditor(`models/${name}`, text, decideStyle(styleVotes(text)));
}

/** Every line of `before` is in `after`, unchanged and in order, except the ones listed as replaced. */
function assertLinesKept(before: string, after: string, replaced: string[] = []): void {
  const a = before.split('\n'), b = after.split('\n');
  let j = 0;
  for (const line of a) {
    if (replaced.includes(line)) continue;
    while (j < b.length && b[j] !== line) j++;
    assert.ok(j < b.length, `original line ${JSON.stringify(line)} was changed or moved`);
    j++;
  }
}

/** The edits reproduce the result, and the result is valid YAML our dbt parser reads without problems. */
function checkResult(ed: YamlFileEditor) {
  const edits = ed.edits();
  assert.equal(applyEdits(ed.original, edits), ed.text);
  for (const doc of parseAllDocuments(ed.text)) assert.deepEqual(doc.errors, []);
  const parsed = parsePropertiesFile(INFO, ed.path, ed.text);
  assert.deepEqual(parsed.problems, []);
  return { edits, parsed };
}

function patch(parsed: ReturnType<typeof parsePropertiesFile>, name: string) {
  const p = parsed.patches.find(x => x.name === name);
  assert.ok(p, `entry ${name} in the result`);
  return p;
}

const col = (p: ReturnType<typeof patch>, name: string) => p.columns.find(c => c.name === name);

describe('YamlFileEditor on hand-written YAML', () => {
  test('comments, quoting and folded blocks stay byte-identical; columns, descriptions and tests are added where missing', () => {
    const ed = editor('commented.yml');
    const t: EntryTarget = { kind: 'models', name: 'fct_orders' };
    const r = ed.upsert(t, {
      name: 'fct_orders', description: 'must not replace the folded description',
      columns: [
        { name: 'order_id', description: 'must not replace', tests: [{ name: 'unique' }, { name: 'not_null' }] },
        { name: 'status', description: 'must not replace the doc() ref', tests: [{ name: 'accepted_values', args: { values: new FlowList(['placed', 'shipped']) } }] },
        { name: 'amount', description: 'Order amount in dollars.' },
        { name: 'placed_at', description: 'When the order was placed.' },
      ],
    }, OPTS);
    assert.deepEqual(r.addedColumns, ['placed_at']);
    assert.deepEqual(r.described.sort(), ['amount', 'placed_at']);
    assert.deepEqual(r.addedTests, [{ column: 'order_id', test: 'not_null' }, { column: 'status', test: 'accepted_values' }]);
    const { edits, parsed } = checkResult(ed);
    assert.ok(edits.every(e => e.start === e.end || ed.original.slice(e.start, e.end).trim() === ''), 'only insertions (at most into an empty value)');
    assertLinesKept(ed.original, ed.text, ['        description:']);
    const p = patch(parsed, 'fct_orders');
    assert.match(p.description!, /^One row per order\. This description is folded over two lines on purpose\.\n$/);
    assert.equal(col(p, 'order_id')!.description, 'Primary key.');
    assert.deepEqual(col(p, 'order_id')!.tests.map(x => x.name), ['unique', 'not_null']);
    assert.equal(col(p, 'status')!.description, '{{ doc("order_status") }}');
    assert.deepEqual(col(p, 'status')!.tests[0].args, { values: ['placed', 'shipped'] });
    assert.equal(col(p, 'amount')!.description, 'Order amount in dollars.');
    assert.deepEqual(p.columns.map(c => c.name), ['order_id', 'status', 'amount', 'placed_at']);
    // The new column follows the list's indentation and comes after the comment that belongs to `amount`.
    assert.match(ed.text, /        # a comment inside amount, deeper than its dash\n      - name: placed_at\n        description: When the order was placed\.\n/);
    assert.match(ed.text, /    description: >\n      One row per order/);
  });

  test('the same upsert twice changes nothing the second time (no duplicate columns, tests or entries)', () => {
    const ed = editor('commented.yml');
    const spec: EntrySpec = { name: 'new_model', description: 'New.', columns: [{ name: 'id', tests: [{ name: 'unique' }, { name: 'relationships', args: { to: "ref('fct_orders')", field: 'order_id' } }] }] };
    assert.equal(ed.upsert({ kind: 'models', name: 'new_model' }, spec, OPTS).createdEntry, true);
    const once = ed.text;
    const again = ed.upsert({ kind: 'models', name: 'new_model' }, spec, OPTS);
    assert.deepEqual(again, { createdEntry: false, addedColumns: [], described: [], addedTests: [], typed: [] });
    assert.equal(ed.text, once);
    // A relationships test to another target is a different test; the same target in other spelling is not.
    ed.addTests({ kind: 'models', name: 'new_model' }, 'id', [{ name: 'relationships', args: { to: 'ref("fct_orders")', field: 'order_id' } }], OPTS);
    assert.equal(ed.text, once);
    assert.deepEqual(ed.addTests({ kind: 'models', name: 'new_model' }, 'id', [{ name: 'relationships', args: { to: "ref('dim_customers')", field: 'customer_id' } }], OPTS), ['relationships']);
    const { parsed } = checkResult(ed);
    assert.equal(parsed.patches.filter(p => p.name === 'new_model').length, 1);
    // Entries separated by blank lines get one too.
    assert.match(ed.text, /      - name: customer_id\n\n  - name: new_model\n    description: New\.\n/);
  });

  test('rewrite replaces existing descriptions (folded, quoted, doc() refs) and keeps everything else', () => {
    const ed = editor('commented.yml');
    const t: EntryTarget = { kind: 'models', name: 'fct_orders' };
    ed.upsert(t, { name: 'fct_orders', description: 'Orders, one row each.', columns: [{ name: 'order_id', description: 'The order.' }, { name: 'status', description: 'Fulfilment status.' }] }, { ...OPTS, rewrite: true });
    const { parsed } = checkResult(ed);
    const p = patch(parsed, 'fct_orders');
    assert.equal(p.description, 'Orders, one row each.');
    assert.equal(col(p, 'order_id')!.description, 'The order.');
    assert.equal(col(p, 'status')!.description, 'Fulfilment status.');
    // The comment after the replaced quoted value is still there.
    assert.match(ed.text, /        description: The order\.   # quoted on purpose\n/);
    assertLinesKept(ed.original, ed.text, ['        description: "Primary key."   # quoted on purpose', '        description: \'{{ doc("order_status") }}\'',
      '    description: >', '      One row per order. This description is folded', '      over two lines on purpose.']);
  });

  test('four-space indentation, lists not indented under their key, `-   ` items and `tests:` are followed', () => {
    const ed = editor('four_space.yml');
    const t: EntryTarget = { kind: 'models', name: 'stg_orders' };
    ed.upsert(t, { name: 'stg_orders', columns: [{ name: 'order_id', tests: [{ name: 'not_null' }] }, { name: 'customer_id', description: 'The customer.', tests: [{ name: 'not_null' }] }, { name: 'ordered_at' }] }, { testsKey: 'tests' });
    ed.upsert({ kind: 'models', name: 'stg_customers' }, { name: 'stg_customers', columns: [{ name: 'customer_id', tests: [{ name: 'unique' }] }] }, { testsKey: 'tests' });
    const { edits, parsed } = checkResult(ed);
    assert.ok(edits.every(e => e.start === e.end));
    assertLinesKept(ed.original, ed.text);
    assert.match(ed.text, /        tests:\n        -   unique\n        -   not_null\n/);
    assert.match(ed.text, /    -   name: customer_id\n        description: The customer\.\n        tests:\n        -   not_null\n    -   name: ordered_at\n/);
    assert.match(ed.text, /\n-   name: stg_customers\n    columns:\n    -   name: customer_id\n        tests:\n        -   unique\n/);
    assert.deepEqual(patch(parsed, 'stg_orders').columns.map(c => c.name), ['order_id', 'customer_id', 'ordered_at']);
  });

  test('anchors and aliases: shared nodes are never edited (reported), merged keys count as present', () => {
    const ed = editor('anchors.yml');
    const r = ed.upsert({ kind: 'models', name: 'orders' }, {
      name: 'orders', columns: [
        { name: 'id', description: 'would change every user of the anchor', tests: [{ name: 'relationships', args: { to: "ref('customers')", field: 'id' } }] },
        { name: 'status', description: 'merged in already', tests: [{ name: 'not_null' }] },
        { name: 'amount', description: 'Amount.' },
      ],
    }, OPTS);
    assert.deepEqual(r.addedTests, [{ column: 'status', test: 'not_null' }]);
    assert.deepEqual(r.described, ['amount']);
    assert.equal(ed.problems.length, 1);
    assert.equal(ed.problems[0].severity, 'warning');
    assert.match(ed.problems[0].message, /column id of model orders is written through a YAML anchor\/alias/);
    const { parsed } = checkResult(ed);
    assertLinesKept(ed.original, ed.text);
    const orders = patch(parsed, 'orders');
    assert.equal(col(orders, 'status')!.description, 'Status of the row.');
    assert.deepEqual(col(orders, 'status')!.tests.map(x => x.name), ['not_null']);
    // The anchored column is unchanged for both models.
    for (const m of ['orders', 'customers']) assert.deepEqual(col(patch(parsed, m), 'id')!.tests.map(x => x.name), ['unique', 'not_null']);
  });

  test('flow style stays flow: items and keys are added inside the brackets', () => {
    const ed = editor('flow.yml');
    ed.upsert({ kind: 'models', name: 'flowy' }, {
      name: 'flowy', columns: [
        { name: 'a', tests: [{ name: 'not_null' }] },
        { name: 'b', description: 'B: the second one', tests: [{ name: 'accepted_values', args: { values: new FlowList(['x', 'y']) } }] },
        { name: 'c', description: 'C' },
      ],
    }, OPTS);
    ed.upsert({ kind: 'models', name: 'mixed' }, { name: 'mixed', tests: [{ name: 'dbt_utils.expression_is_true', args: { expression: 'x > 0' } }], columns: [{ name: 'x', description: 'X' }] }, OPTS);
    const { parsed } = checkResult(ed);
    const lines = ed.text.split('\n');
    assert.match(lines[2], /^  - \{name: flowy, description: "All flow", columns: \[\{name: a, data_tests: \[unique, not_null\]\}, \{name: b, description: "B: the second one", data_tests: \[\{accepted_values: \{values: \["x", "y"\]\}\}\]\}, \{name: c, description: C\}\]\}$/);
    assert.equal(lines[4], '    columns: [ {name: x, description: X} ]');
    const flowy = patch(parsed, 'flowy');
    assert.equal(col(flowy, 'b')!.description, 'B: the second one');
    assert.deepEqual(col(flowy, 'b')!.tests[0].args, { values: ['x', 'y'] });
    assert.deepEqual(patch(parsed, 'mixed').tests.map(t => t.name), ['dbt_utils.expression_is_true']);
  });

  test('CRLF files get CRLF lines only; the list, the source and folded text are created in the file style', () => {
    const text = fixture('commented.yml', true);
    const ed = editor('commented.yml', text);
    ed.upsert({ kind: 'models', name: 'dim_customers' }, {
      name: 'dim_customers',
      description: 'One row per customer account, including prospects who never ordered, with contact details and the order history.',
      columns: [{ name: 'customer_id', tests: [{ name: 'unique' }] }],
    }, OPTS);
    ed.upsert({ kind: 'sources', name: 'payments', source: 'billing' }, { name: 'payments', columns: [{ name: 'id' }] }, OPTS);
    ed.upsert({ kind: 'seeds', name: 'country_codes' }, { name: 'country_codes', description: 'ISO countries.' }, OPTS);
    const { parsed } = checkResult(ed);
    assert.equal(ed.text.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF');
    assertLinesKept(text.replace(/\r\n/g, '\n'), ed.text.replace(/\r\n/g, '\n'));
    assert.match(patch(parsed, 'dim_customers').description!, /^One row per customer account, including prospects who never ordered, with contact details and the order history\.\n$/);
    assert.match(ed.text, /    description: >\r\n      One row per customer account/);
    assert.ok(parsed.nodes.some(n => n.uniqueId === 'source.p.billing.payments'));
    assert.ok(parsed.patches.some(p => p.resourceType === 'seed' && p.name === 'country_codes'));
  });

  test('a source table goes into its source; a missing source and a missing file are created', () => {
    const ed = editor('sources.yml');
    ed.upsert({ kind: 'sources', name: 'customers', source: 'raw' }, { name: 'customers', description: 'Accounts.' }, OPTS);
    ed.upsert({ kind: 'sources', name: 'orders', source: 'raw' }, { name: 'orders', columns: [{ name: 'id', tests: [{ name: 'unique' }, { name: 'not_null' }] }] }, OPTS);
    const { parsed } = checkResult(ed);
    assertLinesKept(ed.original, ed.text, ['            data_tests: [unique]']);
    assert.match(ed.text, /            data_tests: \[unique, not_null\]\n      - name: customers\n        description: Accounts\.\n/);
    assert.deepEqual(parsed.nodes.filter(n => n.resourceType === 'source').map(n => n.name).sort(), ['customers', 'orders']);

    const fresh = new YamlFileEditor('models/new/_new__models.yml', '', decideStyle(styleVotes(fixture('four_space.yml'))), false);
    fresh.upsert({ kind: 'models', name: 'm' }, { name: 'm', columns: [{ name: 'id', tests: [{ name: 'unique' }] }] }, { testsKey: 'tests' });
    assert.equal(fresh.text, 'version: 2\n\nmodels:\n-   name: m\n    columns:\n    -   name: id\n        tests:\n        -   unique\n');
    assert.deepEqual(fresh.change(), { kind: 'create', path: 'models/new/_new__models.yml', text: fresh.text });
  });

  test('invalid YAML is not edited and says why', () => {
    const ed = new YamlFileEditor('models/bad.yml', 'models:\n  - name: a\n   bad: [\n');
    const r = ed.upsert({ kind: 'models', name: 'a' }, { name: 'a', description: 'x' }, OPTS);
    assert.equal(r.createdEntry, false);
    assert.equal(ed.changed, false);
    assert.equal(ed.change(), undefined);
    assert.match(ed.problems[0].message, /models\/bad\.yml is not valid YAML .*it was not edited/);
  });
});

describe('diffToEdits', () => {
  test('minimal edits that reproduce the target text, untouched text outside them', () => {
    const cases: [string, string][] = [
      ['a\nb\nc\n', 'a\nb\nx\nc\n'],
      ['a: 1\nb: [x]\n', 'a: 1\nb: [x, y]\nc: 2\n'],
      ['same', 'same'],
      ['', 'new\n'],
      ['x\r\ny\r\n', 'x\r\nz\r\ny\r\n'],
      ['one two three\nfour\n', 'one TWO three\nfour\nfive'],
    ];
    for (const [a, b] of cases) {
      const edits = diffToEdits(a, b);
      assert.equal(applyEdits(a, edits), b);
      const changed = edits.reduce((n, e) => n + (e.end - e.start) + e.newText.length, 0);
      assert.ok(changed <= Math.abs(a.length - b.length) + 8, `edits of ${JSON.stringify(a)} → ${JSON.stringify(b)} are small: ${JSON.stringify(edits)}`);
    }
    assert.deepEqual(diffToEdits('a: 1\nb: [x]\n', 'a: 1\nb: [x, y]\n'), [{ start: 10, end: 10, newText: ', y' }]);
  });
});
