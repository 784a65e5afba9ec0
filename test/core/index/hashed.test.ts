import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HashedEmbedder, hashedVector, subTokens, HASHED_DIMS } from '../../../src/core/index/embeddings/hashed';
import { dot, norm } from './helpers';

describe('HashedEmbedder', () => {
  test('splits identifiers at dots, underscores, camelCase and digits', () => {
    assert.deepEqual(subTokens('stg_customer_orders'), ['stg', 'customer', 'orders']);
    assert.deepEqual(subTokens('raw.jaffle_shop.customers'), ['raw', 'jaffle', 'shop', 'customers']);
    assert.deepEqual(subTokens('stgCustomerOrders'), ['stg', 'customer', 'orders']);
    assert.deepEqual(subTokens('HTTPServer2024'), ['http', 'server', '2024']);
    assert.deepEqual(subTokens('plain'), ['plain']);
  });

  test('vectors are 384-d, unit length and deterministic', async () => {
    const e = new HashedEmbedder();
    const [a, b] = await e.embed(['select * from stg_orders', 'select * from stg_orders']);
    assert.equal(a.length, HASHED_DIMS);
    assert.ok(Math.abs(norm(a) - 1) < 1e-5);
    assert.deepEqual(Array.from(a), Array.from(b));
    assert.deepEqual(Array.from(hashedVector('select * from stg_orders')), Array.from(a));
    assert.equal(e.status().kind, 'hashed');
    assert.equal(e.id, 'hashed-ngram-v1');
  });

  test('a text without words is the zero vector', () => {
    assert.equal(norm(hashedVector('')), 0);
    assert.equal(norm(hashedVector('  -- ;;')), 0);
  });

  test('identifier parts and n-grams bring related texts together', () => {
    const q = hashedVector('customer orders');
    const related = hashedVector('stg_customer_orders');
    const plural = hashedVector('customer order');
    const unrelated = hashedVector('payment methods by week');
    assert.ok(dot(q, related) > dot(q, unrelated) + 0.3, `${dot(q, related)} vs ${dot(q, unrelated)}`);
    assert.ok(dot(q, plural) > dot(q, unrelated) + 0.3);
    // case and separators do not matter for the parts
    assert.ok(dot(hashedVector('CustomerOrders'), hashedVector('customer_orders')) > 0.6);
  });

  test('status carries the fallback reason', () => {
    assert.equal(new HashedEmbedder('no model').status().reason, 'no model');
  });

  test('embeds more than 5,000 short documents per second', async () => {
    const texts = Array.from({ length: 3000 }, (_, i) => `model stg_orders_${i}: select order_id, customer_id, amount from {{ ref('raw_orders') }} -- ${i}`);
    const e = new HashedEmbedder();
    await e.embed(texts.slice(0, 200)); // warm up the JIT
    const t0 = performance.now();
    await e.embed(texts);
    const perSecond = texts.length / ((performance.now() - t0) / 1000);
    assert.ok(perSecond > 5000, `${Math.round(perSecond)} docs/s`);
  });
});
