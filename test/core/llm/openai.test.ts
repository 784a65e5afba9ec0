import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAiChatModel } from '../../../src/core/llm/openai';
import { LlmError } from '../../../src/core/llm/types';
import { startFakeOpenAi } from '../../support/openai-server';

test('streams tokens through the real openai client and returns the full text', async () => {
  const server = await startFakeOpenAi(() => ({ content: 'fct_orders is built from stg_orders [1].' }));
  try {
    const model = new OpenAiChatModel({ baseUrl: server.url, apiKey: 'sk-test', model: 'test-model' });
    const tokens: string[] = [];
    const r = await model.chat([{ role: 'user', content: 'hi' }], { onToken: t => tokens.push(t) });
    assert.equal(r.content, 'fct_orders is built from stg_orders [1].');
    assert.ok(tokens.length > 3, 'arrived in several pieces');
    assert.equal(server.requests[0].body.model, 'test-model');
    assert.equal(server.requests[0].body.stream, true);
    assert.equal(server.requests[0].headers.authorization, 'Bearer sk-test');
  } finally { await server.close(); }
});

test('tool calls stream back with their arguments', async () => {
  const server = await startFakeOpenAi(() => ({ toolCalls: [{ name: 'lineage', arguments: '{"model":"fct_orders"}' }] }));
  try {
    const model = new OpenAiChatModel({ baseUrl: server.url, model: 'm' });
    const r = await model.chat([{ role: 'user', content: 'x' }], { tools: [{ name: 'lineage', description: 'd', parameters: { type: 'object' } }] });
    assert.deepEqual(r.toolCalls.map(c => [c.name, c.arguments]), [['lineage', '{"model":"fct_orders"}']]);
    assert.equal(server.requests[0].body.tools?.[0].function.name, 'lineage');
  } finally { await server.close(); }
});

test('a wrong key is reported with the host and what to do', async () => {
  const server = await startFakeOpenAi(() => ({ status: 401 }));
  try {
    const model = new OpenAiChatModel({ baseUrl: server.url, apiKey: 'bad', model: 'm' });
    await assert.rejects(model.chat([{ role: 'user', content: 'x' }]), (e: unknown) => {
      assert.ok(e instanceof LlmError);
      assert.match(e.message, /127\.0\.0\.1:\d+ answered 401/);
      assert.match(e.message, /API key/);
      return true;
    });
  } finally { await server.close(); }
});

test('an unreachable endpoint names the host', async () => {
  const model = new OpenAiChatModel({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 3000 });
  await assert.rejects(model.chat([{ role: 'user', content: 'x' }]), /Could not reach the language model at 127\.0\.0\.1:9/);
});
