import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { editLabel, editOutcomeMarkdown, parseEditRequest } from '../../../src/core/answer/editRequest';

describe('parseEditRequest', () => {
  test('the requests the chat recognises, mapped to kind and target', () => {
    const cases: [string, unknown][] = [
      ['document fct_orders', { kind: 'document', target: { node: 'fct_orders' } }],
      ['Please document the model int_customer_order_history.', { kind: 'document', target: { node: 'int_customer_order_history' } }],
      ['document `stg_shop__orders`', { kind: 'document', target: { node: 'stg_shop__orders' } }],
      ['rewrite the docs of dim_customers', { kind: 'documentRewrite', target: { node: 'dim_customers' } }],
      ['document all undocumented columns in models/staging/', { kind: 'documentFolder', target: { path: 'models/staging' } }],
      ['document all undocumented models', { kind: 'documentFolder', target: { path: '' } }],
      ['generate tests for dim_customers', { kind: 'tests', target: { node: 'dim_customers' } }],
      ['add data tests to seed raw_customers', { kind: 'tests', target: { node: 'raw_customers' } }],
      ['review fct_orders', { kind: 'review', target: { node: 'fct_orders' } }],
      ['optimize the sql of fct_orders for fewer scans', { kind: 'optimize', target: { node: 'fct_orders', goal: 'fewer scans' } }],
      ['rename model a to b', { kind: 'renameModel', target: { node: 'a', newName: 'b' } }],
      ['rename fct_orders to fct_order_facts', { kind: 'renameModel', target: { node: 'fct_orders', newName: 'fct_order_facts' } }],
      ['rename column amount of fct_orders to amount_cents', { kind: 'renameColumn', target: { node: 'fct_orders', column: 'amount', newName: 'amount_cents' } }],
      ['replace hardcoded relations in legacy_orders', { kind: 'replaceHardcoded', target: { node: 'legacy_orders' } }],
      ['create a staging model for source shop.orders', { kind: 'staging', target: { source: 'shop', table: 'orders' } }],
      ['New staging model from shop.customers', undefined], // needs a verb: "new …" alone stays a question
      ['generate an airflow dag', { kind: 'airflow', target: { mode: 'per-model' } }],
      ['Create the Airflow DAG for this project with task groups', { kind: 'airflow', target: { mode: 'selector-groups' } }],
      ['fix the failing test', { kind: 'fixFailure', target: {} }],
      ['fix the failed model fct_orders', { kind: 'fixFailure', target: { failure: 'fct_orders' } }],
    ];
    for (const [text, want] of cases) assert.deepEqual(parseEditRequest(text), want, text);
  });

  test('questions stay questions', () => {
    for (const q of ['what does fct_orders compute?', 'document how fct_orders is built', 'how do I document a model?', 'review',
      'who changed fct_orders', 'documentation for fct_orders', 'document all', 'rename', 'tests for fct_orders', 'explain fct_orders', '', 'x'.repeat(400)]) {
      assert.equal(parseEditRequest(q), undefined, q);
    }
  });

  test('labels name the action and its target', () => {
    assert.equal(editLabel(parseEditRequest('document fct_orders')!), 'Document fct_orders');
    assert.equal(editLabel(parseEditRequest('rename model a to b')!), 'Rename a to b');
    assert.equal(editLabel(parseEditRequest('create a staging model for shop.orders')!), 'New staging model for shop.orders');
    assert.equal(editLabel({ kind: 'review', target: { node: 'x' } }), 'Review x');
    // Buttons send unique_ids: the label names the node as the user knows it.
    assert.equal(editLabel({ kind: 'document', target: { node: 'model.shopwise.int_customer_order_history' } }), 'Document int_customer_order_history');
    assert.equal(editLabel({ kind: 'tests', target: { node: 'source.shopwise.shop.orders' } }), 'Generate tests for shop.orders');
  });
});

describe('editOutcomeMarkdown', () => {
  test('says the outcome first: a rejection as a rejection, validation problems as not offered', () => {
    const rejected = editOutcomeMarkdown({ status: 'rejected', message: 'Rejected "Document a": nothing was changed.', title: 'Document a', explanation: 'why' }, 'Document a');
    assert.match(rejected, /^\*\*Rejected: nothing was changed\.\*\*\n\nRejected "Document a"/);
    assert.match(rejected, /---\n\nwhy$/);
    const applied = editOutcomeMarkdown({ status: 'applied', message: 'Applied 1 file.', title: 'Document a', explanation: 'long plan' }, 'x');
    assert.equal(applied, '**Applied:** Document a\n\nApplied 1 file.');
    assert.match(editOutcomeMarkdown({ status: 'invalid', message: 'YAML does not parse' }, 'x'), /^\*\*Not offered: the change did not pass validation\.\*\*\n\nYAML does not parse$/);
    assert.match(editOutcomeMarkdown({ status: 'nothing', message: 'already there' }, 'x'), /^\*\*Nothing to change\.\*\*/);
  });
});
