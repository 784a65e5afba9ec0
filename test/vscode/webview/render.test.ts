import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { citationLabel, citationLocation, renderAnswer, renderChips, renderFollowUps } from '../../../media/render';
import { InputHistory } from '../../../media/inputHistory';

describe('answer rendering', () => {
  test('chips label files with lines and commits with a short sha; the tooltip has the full path', () => {
    assert.equal(citationLabel({ path: 'models/fct_orders.sql', startLine: 3, endLine: 9, kind: 'model', title: 'fct_orders' }), 'fct_orders.sql:3-9');
    assert.equal(citationLabel({ path: 'models/_core.yml', startLine: 4, endLine: 4, kind: 'model_yaml', title: 'fct_orders' }), 'fct_orders · _core.yml:4');
    assert.equal(citationLabel({ path: 'models/a.sql', commit: '0123456789abcdef', kind: 'commit' }), '0123456 · a.sql');
    assert.equal(citationLocation({ path: 'models/a.sql', commit: '0123456789abcdef', kind: 'commit' }), 'commit 0123456 · models/a.sql');
    assert.match(renderChips([{ path: 'models/marts/fct_orders.sql', startLine: 1, endLine: 96, kind: 'model' }]), /title="Open models\/marts\/fct_orders.sql:1-96"/);
  });

  test('a cited file whose name or title holds HTML renders inert', () => {
    const html = renderChips([{ path: 'models/<img src=x onerror=alert(1)>.sql', kind: 'model', title: '<script>alert(1)</script>', startLine: 1 }]);
    assert.ok(!html.includes('<img') && !html.includes('<script'));
    assert.match(html, /&lt;script&gt;/);
  });

  test('follow-ups are buttons whose question is escaped', () => {
    const html = renderFollowUps(['Who changed "fct_orders"?<b>']);
    assert.match(html, /data-follow-up="Who changed &quot;fct_orders&quot;\?&lt;b&gt;"/);
  });

  test('a finished answer shows markdown, mode, chips and follow-ups; a stopped one says so', () => {
    const html = renderAnswer({ answer: 'It reads [1].', mode: 'offline', citations: [{ path: 'a.sql', kind: 'model', startLine: 1 }], followUps: ['More?'], cancelled: true });
    assert.match(html, /class="cite-ref" data-cite="0"/);
    assert.match(html, /class="chip chip-file" data-cite="0"/);
    assert.match(html, /offline answer/);
    assert.match(html, /Stopped\./);
    assert.match(html, /data-follow-up="More\?"/);
  });
});

describe('input history', () => {
  test('↑ walks back, ↓ walks forward to the kept draft', () => {
    const h = new InputHistory(['first', 'second']);
    assert.equal(h.previous('draft'), 'second');
    assert.equal(h.previous('second'), 'first');
    assert.equal(h.previous('first'), undefined);
    assert.equal(h.next(), 'second');
    assert.equal(h.next(), 'draft');
    assert.equal(h.next(), undefined);
  });

  test('push skips consecutive duplicates and caps the size', () => {
    const h = new InputHistory([], 3);
    for (const q of ['a', 'a', 'b', 'c', 'd']) h.push(q);
    assert.deepEqual(h.list(), ['b', 'c', 'd']);
  });
});

describe('action buttons under an answer', () => {
  const base = { answer: 'x', citations: [], followUps: [], mode: 'offline' as const };
  test('a model gets Document, Generate tests, Review, Optimize (when a model is configured), Rename…, each labelled', () => {
    const html = renderAnswer({ ...base, edits: { node: 'model.shop.fct_orders', name: 'fct_orders', resourceType: 'model', optimize: true } });
    assert.deepEqual([...html.matchAll(/data-edit="(\w+)"/g)].map(m => m[1]), ['document', 'tests', 'review', 'optimize', 'rename']);
    assert.match(html, /<button type="button" class="edit-action" data-edit="document" aria-label="Document the model fct_orders/);
    const noModel = renderAnswer({ ...base, edits: { node: 'model.shop.fct_orders', name: 'fct_orders', resourceType: 'model' } });
    assert.ok(!noModel.includes('data-edit="optimize"'));
  });

  test('a source offers a staging model; names holding HTML stay inert; no edits, no buttons', () => {
    const html = renderAnswer({ ...base, edits: { node: 'source.shop.shop.orders', name: '<img src=x>', resourceType: 'source', source: 'shop', table: 'orders' } });
    assert.deepEqual([...html.matchAll(/data-edit="(\w+)"/g)].map(m => m[1]), ['document', 'tests', 'staging']);
    assert.ok(!html.includes('<img'));
    assert.ok(!renderAnswer(base).includes('edit-action'));
  });
});
