// The analytics agent: a tool-calling loop over any ChatModel, grounded in the dbt project's schema, with a step
// limit, cancellation, an event per tool call and result, and a final answer with the SQL, the rows and citations.
import type { Engine } from '../engine';
import type { ChatMessage, ChatModel, ToolCall } from '../llm/types';
import type { WarehouseConnection } from '../warehouse/connection';
import { AgentCatalog } from './catalog';
import { answerProse, composeAnswer } from './answer';
import { citationsForSql } from './citations';
import { agentSystemPrompt } from './prompt';
import { buildSchemaContext } from './schemaContext';
import { AGENT_TOOLS, toolByName, toolSpecs } from './tools';
import { errorText, fail, isAbort, type RunState, type SqlDialect, type ToolContext, type ToolRun, type ToolSettings } from './tools/tool';
import type { AgentAnswer, AgentEvent, AgentOptions } from './types';

export interface AgentContext {
  engine: Pick<Engine, 'snapshot' | 'search'>;
  model: ChatModel;
  /** Opened on the first tool that needs the warehouse, closed when the run ends. */
  openConnection: () => Promise<WarehouseConnection>;
  dialect: SqlDialect;
}

export const DEFAULT_MAX_STEPS = 8;

export async function runAgent(question: string, ctx: AgentContext, opts: AgentOptions = {}): Promise<AgentAnswer> {
  const signal = opts.signal;
  throwIfAborted(signal);
  const emit = (e: AgentEvent) => { try { opts.onEvent?.(e); } catch { /* a failing listener must not stop the run */ } };
  const snap = await ctx.engine.snapshot();
  const catalog = new AgentCatalog(snap);
  const schema = await buildSchemaContext(question, catalog, { search: (q, k) => ctx.engine.search(q, k) });
  const messages: ChatMessage[] = [
    { role: 'system', content: agentSystemPrompt(ctx.dialect, schema.text) },
    { role: 'user', content: question },
  ];
  const settings: ToolSettings = {
    maxRows: opts.maxRows ?? 200, timeoutMs: opts.timeoutMs ?? 30_000, allowPersonalData: !!opts.allowPersonalData,
    maxRetries: opts.maxRetries ?? 2, confirmQuery: opts.confirmQuery,
  };
  const state: RunState = { failures: 0 };
  const conn = lazyConnection(ctx.openConnection, state);
  const maxSteps = Math.max(1, opts.maxSteps ?? DEFAULT_MAX_STEPS);
  const toolCtx = (callId: string): ToolContext => ({
    engine: ctx.engine, snap, catalog, dialect: ctx.dialect, connection: conn.get, settings, state, signal, callId, emit,
  });
  const finish = (text: string, steps: number, stopped?: AgentAnswer['stopped']) =>
    finalAnswer({ text, steps, stopped, state, catalog, allowPersonalData: settings.allowPersonalData, maxSteps });

  try {
    for (let step = 1; step <= maxSteps; step++) {
      throwIfAborted(signal);
      const reply = await ctx.model.chat(messages, { tools: toolSpecs(), signal, onToken: text => emit({ type: 'token', text }) });
      throwIfAborted(signal);
      if (!reply.toolCalls.length) return finish(reply.content, step, state.declined ? 'declined' : undefined);
      messages.push({ role: 'assistant', content: reply.content, toolCalls: reply.toolCalls });
      for (const [i, call] of reply.toolCalls.entries()) {
        const out = await callTool(call, toolCtx(`${step}.${i + 1}:${call.id}`), emit);
        messages.push({ role: 'tool', toolCallId: call.id, content: out.text });
      }
    }
    return finish('', maxSteps, 'step_limit');
  } catch (e) {
    if (isAbort(e, signal)) throw abortError();
    throw e;
  } finally {
    await conn.close();
  }
}

interface Ending {
  text: string;
  steps: number;
  stopped?: AgentAnswer['stopped'];
  state: RunState;
  catalog: AgentCatalog;
  allowPersonalData: boolean;
  maxSteps: number;
}

/** The model's words alone (`text`) and with the last query's SQL, rows and citations (`answer`; or the declined SQL, or a step-limit note). */
function finalAnswer(e: Ending): AgentAnswer {
  const last = e.state.last;
  const sources = last ? citationsForSql(last.sql, e.catalog) : undefined;
  const declined = e.stopped === 'declined' && !last;
  const note = e.stopped === 'step_limit' ? `Stopped after ${e.maxSteps} steps without a final answer${last ? '; the last query result is below' : ''}.`
    : e.stopped === 'declined' ? `You declined the query${last ? ' proposed after the one below' : ''}: it did not run.` : undefined;
  const shown = last && (e.allowPersonalData ? last.result : last.sent);
  const answer = composeAnswer({
    text: e.text, note, sources, shown,
    sql: declined ? e.state.declined : last?.sql,
    sqlLabel: declined ? 'SQL (not run)' : undefined,
  });
  return {
    answer, text: answerProse({ text: e.text, shown }), ...(note ? { note } : {}), mode: 'llm', sql: last?.sql, result: last?.result,
    citations: sources?.citations ?? [], steps: e.steps, ...(e.stopped ? { stopped: e.stopped } : {}),
  };
}

async function callTool(call: ToolCall, ctx: ToolContext, emit: (e: AgentEvent) => void): Promise<ToolRun> {
  const tool = toolByName(call.name);
  let args: Record<string, unknown> = {};
  let out: ToolRun | undefined;
  try {
    const parsed: unknown = call.arguments.trim() ? JSON.parse(call.arguments) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
    else out = fail('the arguments must be a JSON object');
  } catch (e) {
    out = fail(`the arguments are not valid JSON (${errorText(e)}): ${call.arguments.slice(0, 200)}`);
  }
  if (!tool) out = fail(`there is no tool "${call.name}"; the tools are ${AGENT_TOOLS.map(t => t.spec.name).join(', ')}`);
  emit({ type: 'tool_call', id: ctx.callId, name: call.name, args, ...(tool?.sqlOf?.(args) ? { sql: tool.sqlOf(args) } : {}) });
  if (!out) {
    try {
      out = await tool!.run(args, ctx);
    } catch (e) {
      if (isAbort(e, ctx.signal)) throw e;
      out = fail(`${call.name} failed: ${errorText(e)}`);
    }
  }
  emit({ type: 'tool_result', id: ctx.callId, name: call.name, ok: out.ok, summary: out.summary, ...(out.result ? { result: out.result } : {}), ...(out.ok ? {} : { error: out.text }) });
  return out;
}

function lazyConnection(open: () => Promise<WarehouseConnection>, state: RunState) {
  let pending: Promise<WarehouseConnection> | undefined;
  return {
    get: (): Promise<WarehouseConnection> => (pending ??= open().catch((e: unknown) => {
      state.unavailable = errorText(e);
      throw e;
    })),
    close: async (): Promise<void> => {
      const c = await pending?.catch(() => undefined);
      await c?.close().catch(() => undefined);
    },
  };
}

function abortError(): Error {
  return Object.assign(new Error('The question was cancelled.'), { name: 'AbortError' });
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError();
}
