// A private copy of the example with its DuckDB warehouse built from the seeds, an engine over it, and a scripted
// model behind the local OpenAI-compatible server, for the agent tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../../src/core/engine';
import { OpenAiChatModel } from '../../../src/core/llm/openai';
import type { AgentContext } from '../../../src/core/agent/agent';
import type { RunOptions, WarehouseConnection } from '../../../src/core/warehouse/connection';
import { openDuckDbConnection } from '../../../src/core/warehouse/duckdbConnection';
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { copyExample, type ExampleCopy } from '../../support/example';
import { startFakeOpenAi, type ChatRequestBody, type FakeOpenAi, type ScriptedReply } from '../../support/openai-server';

export interface Workspace {
  ex: ExampleCopy;
  dbPath: string;
  engine: Engine;
  close(): Promise<void>;
}

/** The example copied and its warehouse built; `prepare` may change the DuckDB file before the engine reads it. */
export async function openWorkspace(prepare?: (sql: (s: string) => Promise<void>) => Promise<void>): Promise<Workspace> {
  const ex = copyExample({ history: false });
  await ensureExampleWarehouse(ex.dir);
  const dbPath = path.join(ex.dir, 'shopwise.duckdb');
  if (prepare) {
    const db = await DuckDBInstance.create(dbPath);
    const c = await db.connect();
    try { await prepare(async s => { await c.run(s); }); } finally { c.closeSync(); db.closeSync(); }
  }
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-agent-idx-'));
  const engine = await Engine.open({ workspace: ex.dir, indexDir, embedding: { kind: 'hashed' }, noHistory: true });
  await engine.refresh();
  return {
    ex, dbPath, engine,
    close: async () => { await engine.close(); ex.cleanup(); fs.rmSync(indexDir, { recursive: true, force: true }); },
  };
}

/** Every statement the warehouse was asked to run, and how many connections were opened and closed. */
export interface Recorder {
  ran: string[];
  opened: number;
  closed: number;
}

export interface Scripted {
  server: FakeOpenAi;
  ctx: AgentContext;
  rec: Recorder;
  /** The messages of request n (1-based) as the server received them. */
  messages(n: number): ChatRequestBody['messages'];
}

/** A scripted model (reply n to request n) and a real DuckDB connection that records what it runs. */
export async function scripted(ws: Workspace, reply: (body: ChatRequestBody, n: number) => ScriptedReply): Promise<Scripted> {
  const server = await startFakeOpenAi(reply);
  const rec: Recorder = { ran: [], opened: 0, closed: 0 };
  const openConnection = async (): Promise<WarehouseConnection> => {
    const conn = await openDuckDbConnection(ws.dbPath);
    rec.opened++;
    return new Proxy(conn, {
      get(target, prop, receiver) {
        if (prop === 'query') return (sql: string, opts: RunOptions) => { rec.ran.push(sql); return target.query(sql, opts); };
        if (prop === 'close') return () => { rec.closed++; return target.close(); };
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  };
  const model = new OpenAiChatModel({ baseUrl: server.url, apiKey: 'sk-test', model: 'scripted' });
  return {
    server, rec, ctx: { engine: ws.engine, model, openConnection, dialect: 'duckdb' },
    messages: n => server.requests[n - 1].body.messages,
  };
}

export const call = (name: string, args: Record<string, unknown>): ScriptedReply => ({ toolCalls: [{ name, arguments: JSON.stringify(args) }] });

/** The tool messages of a request, in order. */
export function toolMessages(messages: ChatRequestBody['messages']): string[] {
  return messages.filter(m => m.role === 'tool').map(m => m.content ?? '');
}
