// An OpenAI-compatible chat endpoint for the UI tests that streams slowly enough to watch (and stop), and
// answers from the numbered sources the extension sent, citing them as [n] like a grounded model would.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeLlm {
  url: string;
  /** Questions received, in order. */
  questions: string[];
  /** Requests of the analytics agent (with tools) received so far; each carries every tool result up to then. */
  agentRequests: { question: string; toolResults: string[] }[];
  close(): Promise<void>;
}

interface Body { model: string; stream?: boolean; tools?: unknown[]; messages: { role: string; content: string | null }[] }

/** One scripted step of the analytics agent: call these tools, or answer. */
type AgentStep = { tools: { name: string; args: Record<string, unknown> }[] } | { answer: string };

/** SQL the scripted agent proposes (the example warehouse's marts). */
export const AGENT_SQL = {
  monthly: 'select revenue_month, net_revenue from marts.monthly_revenue order by revenue_month',
  channels: 'select channel_name, sum(net_revenue) as net_revenue from marts.fct_orders group by channel_name order by net_revenue desc',
  write: 'delete from marts.fct_orders',
  customers: 'select count(distinct customer_id) as customers from marts.fct_orders',
};

/**
 * The analytics agent's script, by question and by how many tool results came back so far: explore, query, answer.
 * "highest" first proposes a write (refused by the guard), then the real query.
 */
function agentStep(question: string, toolResults: number): AgentStep {
  const script: AgentStep[] = /per month/i.test(question)
    ? [{ tools: [{ name: 'list_tables', args: { schema: 'marts' } }] }, { tools: [{ name: 'describe_table', args: { table: 'marts.monthly_revenue' } }] },
      { tools: [{ name: 'execute_query', args: { sql: AGENT_SQL.monthly } }] }, { answer: 'Net revenue per month is below: it grows over the two years, with a dip after the holiday months.' }]
    : /highest/i.test(question)
      ? [{ tools: [{ name: 'execute_query', args: { sql: AGENT_SQL.write } }] }, { tools: [{ name: 'execute_query', args: { sql: AGENT_SQL.channels } }] },
        { answer: 'The online store brings the most net revenue, followed by the marketplace channels.' }]
      : [{ tools: [{ name: 'execute_query', args: { sql: AGENT_SQL.customers } }] }, { answer: 'Here is the customer count.' }];
  return script[Math.min(toolResults, script.length - 1)];
}

export async function startFakeLlm(chunkDelayMs = 40): Promise<FakeLlm> {
  const questions: string[] = [];
  const agentRequests: FakeLlm['agentRequests'] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) { res.writeHead(404).end(); return; }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
    if (body.tools?.length) {
      agentRequests.push({ question: body.messages.find(m => m.role === 'user')?.content ?? '', toolResults: body.messages.filter(m => m.role === 'tool').map(m => m.content ?? '') });
      agentReply(res, body, questions);
      return;
    }
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
  return { url: `http://127.0.0.1:${port}/v1`, questions, agentRequests, close: () => new Promise(ok => { server.closeAllConnections(); server.close(() => ok()); }) };
}

/** The agent's turn: tool calls or the final answer, streamed the way OpenAI streams them. */
function agentReply(res: http.ServerResponse, body: Body, questions: string[]): void {
  const question = body.messages.find(m => m.role === 'user')?.content ?? '';
  const toolResults = body.messages.filter(m => m.role === 'tool').length;
  if (!toolResults) questions.push(question);
  const lastTool = body.messages.filter(m => m.role === 'tool').at(-1)?.content ?? '';
  // After a declined query a grounded model answers without numbers instead of going on with its script.
  const step: AgentStep = /declined/i.test(lastTool)
    ? { answer: 'You declined the query, so I have no numbers: it would sum net revenue per channel from the orders mart.' }
    : agentStep(question, toolResults);
  const chunk = (delta: object, finish: string | null = null) => ({ id: 'chatcmpl-agent', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] });
  const calls = 'tools' in step ? step.tools.map((t, i) => ({ index: i, id: `call_${toolResults}_${i}`, type: 'function', function: { name: t.name, arguments: JSON.stringify(t.args) } })) : [];
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      id: 'chatcmpl-agent', object: 'chat.completion', created: 0, model: body.model,
      choices: [{ index: 0, finish_reason: calls.length ? 'tool_calls' : 'stop', message: { role: 'assistant', content: 'answer' in step ? step.answer : null, ...(calls.length ? { tool_calls: calls } : {}) } }],
    }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (c: object) => res.write(`data: ${JSON.stringify(c)}\n\n`);
  send(chunk({ role: 'assistant', content: '' }));
  if ('answer' in step) for (let i = 0; i < step.answer.length; i += 8) send(chunk({ content: step.answer.slice(i, i + 8) }));
  for (const c of calls) send(chunk({ tool_calls: [c] }));
  send(chunk({}, calls.length ? 'tool_calls' : 'stop'));
  res.end('data: [DONE]\n\n');
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
