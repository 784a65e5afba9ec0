// A local server speaking the OpenAI chat-completions wire protocol (JSON and SSE streaming), answering from a
// script, so tests exercise the real `openai` client. Only tests use it.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
  content?: string;
  toolCalls?: { name: string; arguments: string }[];
  /** Reply with this HTTP status and error body instead. */
  status?: number;
}

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string }[];
  stream?: boolean;
  tools?: { function: { name: string } }[];
}

export interface FakeOpenAi {
  url: string;
  requests: { body: ChatRequestBody; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startFakeOpenAi(reply: (body: ChatRequestBody, n: number) => ScriptedReply): Promise<FakeOpenAi> {
  const requests: FakeOpenAi['requests'] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
    requests.push({ body, headers: req.headers });
    const r = reply(body, requests.length);
    if (r.status) {
      res.writeHead(r.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `scripted error ${r.status}`, type: 'invalid_request_error', code: null } }));
      return;
    }
    if (body.stream) streamReply(res, body.model, r); else jsonReply(res, body.model, r);
  });
  await new Promise<void>(ok => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, requests, close: () => new Promise(ok => { server.closeAllConnections(); server.close(() => ok()); }) };
}

const toolCalls = (r: ScriptedReply) => (r.toolCalls ?? []).map((t, i) => ({ index: i, id: `call_${i}`, type: 'function', function: { name: t.name, arguments: t.arguments } }));

function jsonReply(res: http.ServerResponse, model: string, r: ScriptedReply): void {
  const tc = toolCalls(r);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
    id: 'chatcmpl-test', object: 'chat.completion', created: 0, model,
    choices: [{ index: 0, finish_reason: tc.length ? 'tool_calls' : 'stop', message: { role: 'assistant', content: r.content ?? null, ...(tc.length ? { tool_calls: tc } : {}) } }],
  }));
}

/** Sends the content in small pieces, the way real servers stream. */
function streamReply(res: http.ServerResponse, model: string, r: ScriptedReply): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (delta: object, finish: string | null = null) =>
    res.write(`data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
  send({ role: 'assistant', content: '' });
  const text = r.content ?? '';
  for (let i = 0; i < text.length; i += 7) send({ content: text.slice(i, i + 7) });
  toolCalls(r).forEach(tc => {
    send({ tool_calls: [{ index: tc.index, id: tc.id, type: 'function', function: { name: tc.function.name, arguments: '' } }] });
    send({ tool_calls: [{ index: tc.index, function: { arguments: tc.function.arguments } }] });
  });
  send({}, r.toolCalls?.length ? 'tool_calls' : 'stop');
  res.end('data: [DONE]\n\n');
}
