import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { keywordTokens, MiniSearchKeywordIndex, STOP_WORDS } from '../../../src/core/index/keyword';
import { Bm25KeywordIndex } from '../../../src/core/index/bm25';

describe('keyword tokenizer', () => {
  test('keeps identifiers whole and adds their parts, lowercased', () => {
    assert.deepEqual(keywordTokens('stg_customer_orders'), ['stg', 'customer', 'orders', 'stg_customer_orders']);
    assert.deepEqual(keywordTokens('customerLifetimeValue'), ['customer', 'lifetime', 'value', 'customerlifetimevalue']);
    assert.deepEqual(keywordTokens('raw.jaffle_shop.customers'),
      ['raw', 'jaffle', 'shop', 'customers', 'jaffle_shop', 'raw.jaffle_shop.customers']);
    assert.deepEqual(keywordTokens('Orders'), ['orders']);
  });

  test('drops English and SQL stop words and one-letter terms', () => {
    assert.deepEqual(keywordTokens('SELECT a, b FROM the orders AS o WHERE status = 1'), ['orders', 'status']);
    for (const w of ['select', 'from', 'as', 'the', 'where', 'join']) assert.ok(STOP_WORDS.has(w), w);
    // parts that are stop words go, the identifier stays
    assert.deepEqual(keywordTokens('is_active'), ['active', 'is_active']);
  });

  test('splits on punctuation and Jinja', () => {
    assert.deepEqual(keywordTokens("{{ ref('stg_orders') }}"), ['stg', 'orders', 'stg_orders']);
  });
});

for (const Index of [Bm25KeywordIndex, MiniSearchKeywordIndex]) describe(Index.name, () => {
  const docs = [
    { id: 'm1', title: 'stg_customers', text: 'select customer_id, first_name from raw.jaffle_shop.customers' },
    { id: 'm2', title: 'stg_orders', text: 'select order_id, customer_id, status from raw.jaffle_shop.orders' },
    { id: 'm3', title: 'fct_revenue', text: 'sum of payment amount per month, recognised revenue' },
    { id: 'm4', title: 'dim_products', text: 'product catalogue with customer ratings' },
  ];

  test('finds identifiers whole or by their words, title boosted', () => {
    const k = new Index();
    k.add(docs);
    assert.equal(k.size(), 4);
    assert.equal(k.search('stg_orders', 5)[0].id, 'm2');
    assert.equal(k.search('orders staging', 5)[0].id, 'm2');
    assert.equal(k.search('revenue', 5)[0].id, 'm3');
    // 'customers' is in m1's title: it outranks the text-only mentions
    assert.equal(k.search('customers', 5)[0].id, 'm1');
    assert.deepEqual(k.search('select from the', 5), []);
    assert.deepEqual(k.search('', 5), []);
    assert.equal(k.search('customer', 1).length, 1);
  });

  test('prefix matching applies to the last word only', () => {
    const k = new Index();
    k.add(docs);
    assert.deepEqual(k.search('fct_rev', 5).map(h => h.id), ['m3']); // last word: prefix of fct_revenue
    assert.deepEqual(k.search('fct_rev payment', 5).map(h => h.id), ['m3']); // found by payment only
    assert.deepEqual(k.search('catalog', 5).map(h => h.id), ['m4']); // last word: prefix of catalogue
    assert.deepEqual(k.search('catalog revenue', 5).map(h => h.id), ['m3']); // not last: no prefix
  });

  test('replaces documents with the same id and removes documents', () => {
    const k = new Index();
    k.add(docs);
    k.add([{ id: 'm3', title: 'fct_revenue', text: 'net bookings' }]);
    assert.equal(k.size(), 4);
    assert.deepEqual(k.search('payment', 5), []);
    assert.equal(k.search('bookings', 5)[0].id, 'm3');
    k.remove(['m1', 'nope']);
    assert.equal(k.size(), 3);
    assert.ok(!k.search('first_name', 5).some(h => h.id === 'm1'));
    assert.ok(!k.has('m1') && k.has('m2'));
  });

  test('ignores terms that most documents contain when rarer ones exist', () => {
    const k = new Index();
    const many = Array.from({ length: 200 }, (_, i) => ({ id: `d${i}`, title: `model_${i}`, text: `wayne analytics model number ${i}${i === 7 ? ' refunds' : ''}` }));
    k.add(many);
    // 'wayne' is everywhere; 'refunds' decides
    assert.deepEqual(k.search('wayne refunds', 10).map(h => h.id), ['d7']);
    // only frequent terms: the rarest is used, so there are still answers
    assert.ok(k.search('wayne analytics', 10).length > 0);
  });
});

describe('Bm25KeywordIndex bookkeeping', () => {
  test('after many removals, replacements and slot reuse it answers exactly like a fresh index', () => {
    const words = ['orders', 'customers', 'payments', 'revenue', 'refunds', 'stg_orders', 'fct_sales', 'dim_users', 'shipping', 'carrier'];
    const mk = (i: number, v: number) => ({ id: `d${i}`, title: `model_${i}`, text: Array.from({ length: 5 + (i % 7) }, (_, j) => words[(i * 3 + j * v) % words.length]).join(' ') });
    const churned = new Bm25KeywordIndex();
    churned.add(Array.from({ length: 3000 }, (_, i) => mk(i, 1)));
    churned.remove(Array.from({ length: 2000 }, (_, i) => `d${i}`)); // compacts
    churned.add(Array.from({ length: 500 }, (_, i) => mk(i, 2))); // reuses slots
    churned.add(Array.from({ length: 300 }, (_, i) => mk(2500 + i, 3))); // replaces in place
    const final = [...Array.from({ length: 500 }, (_, i) => mk(i, 2)), ...Array.from({ length: 1000 }, (_, i) => mk(2000 + i, 2000 + i >= 2500 && 2000 + i < 2800 ? 3 : 1))];
    const fresh = new Bm25KeywordIndex();
    fresh.add(final);
    assert.equal(churned.size(), 1500);
    for (const q of ['refunds', 'stg_orders shipping', 'model_2600', 'carrier revenue', 'fct_sa']) {
      const a = churned.search(q, 20), b = fresh.search(q, 20);
      assert.deepEqual(a.map(h => h.score.toFixed(4)), b.map(h => h.score.toFixed(4)), q);
      assert.deepEqual(new Set(a.map(h => h.id)), new Set(b.map(h => h.id)), q);
    }
  });
});

test('Bm25KeywordIndex: prefix search sees terms added after an earlier prefix search', () => {
  const k = new Bm25KeywordIndex();
  k.add([{ id: 'a', title: 'stg_orders', text: 'orders' }]);
  assert.deepEqual(k.search('stg_ord', 5).map(h => h.id), ['a']);
  k.add([{ id: 'b', title: 'stg_payments', text: 'payments' }, { id: 'c', title: 'stg_order_items', text: 'items' }]);
  // 'stg' alone matches all three; the prefix of the whole identifier decides the top
  assert.equal(k.search('stg_pay', 5)[0].id, 'b');
  assert.deepEqual(k.search('stg_ord', 5).slice(0, 2).map(h => h.id).sort(), ['a', 'c']);
});
