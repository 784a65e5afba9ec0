// An OpenAI-compatible chat endpoint for the UI tests that streams slowly enough to watch (and stop), and
// answers from the numbered sources the extension sent, citing them as [n] like a grounded model would.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeLlm {
  url: string;
  /** Questions received, in order. */
  questions: string[];
  close(): Promise<void>;
}

interface Body { model: string; stream?: boolean; messages: { role: string; content: string | null }[] }

export async function startFakeLlm(chunkDelayMs = 40): Promise<FakeLlm> {
  const questions: string[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) { res.writeHead(404).end(); return; }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
    const user = body.messages.filter(m => m.role === 'user').map(m => m.content ?? '').join('\n');
    const question = /Question: (.*)$/m.exec(user)?.[1] ?? user.slice(-200);
    questions.push(question);
    const text = answerFor(question, user);
    const slow = /slowly/i.test(question);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let closed = false;
    res.on('close', () => { closed = true; });
    const send = (delta: object, finish: string | null = null) =>
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-ui', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    send({ role: 'assistant', content: '' });
    for (let i = 0; i < text.length && !closed; i += 6) {
      send({ content: text.slice(i, i + 6) });
      await new Promise(r => setTimeout(r, slow ? chunkDelayMs * 5 : chunkDelayMs));
    }
    if (closed) return;
    send({}, 'stop');
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>(ok => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, questions, close: () => new Promise(ok => { server.closeAllConnections(); server.close(() => ok()); }) };
}

/** Cites the first two sources whose location is a model file; adds a SQL block to exercise the code actions. */
function answerFor(question: string, prompt: string): string {
  const sources = [...prompt.matchAll(/<source n="(\d+)" kind="([^"]+)" location="([^"]+)"/g)].map(m => ({ n: m[1], kind: m[2], location: m[3] }));
  const models = sources.filter(s => s.location.endsWith('.sql') || /\.sql:/.test(s.location));
  const [a, b] = models.length >= 2 ? models : sources;
  const name = (s?: { location: string }) => s?.location.split('/').pop()?.replace(/\.sql.*$/, '').replace(/:.*$/, '') ?? 'the model';
  if (/slowly/i.test(question)) return `Here is a long explanation, written slowly. ${'The model joins orders with payments and customers. '.repeat(40)}`;
  return [
    `**${question.replace(/\?$/, '')}** — according to the project:`,
    '',
    `- It reads \`${name(a)}\` [${a?.n ?? 1}]${b ? ` and \`${name(b)}\` [${b.n}]` : ''}.`,
    `- A quick look at the data:`,
    '',
    '```sql',
    `select * from {{ ref('${name(a)}') }} limit 10`,
    '```',
    '',
    'Links in answers stay inert: [not a link](javascript:alert(1)) and <script>alert(1)</script> show as text.',
  ].join('\n');
}
