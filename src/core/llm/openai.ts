// Any OpenAI-compatible chat endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio) through the `openai` package.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { LlmError, type ChatMessage, type ChatModel, type ChatOptions, type ChatResult, type ToolCall } from './types';

export interface OpenAiSettings {
  baseUrl?: string;
  apiKey?: string;
  model: string;
  timeoutMs?: number;
}

/** Reads OPENAI_API_KEY, OPENAI_BASE_URL and DEA_LLM_MODEL (or OPENAI_MODEL); undefined when no model is configured. */
export function openAiSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenAiSettings | undefined {
  const model = env.DEA_LLM_MODEL || env.OPENAI_MODEL;
  if (!model && !env.OPENAI_API_KEY) return undefined;
  return { baseUrl: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, model: model || 'gpt-4o-mini' };
}

export class OpenAiChatModel implements ChatModel {
  readonly id: string;
  private readonly client: OpenAI;
  private readonly host: string;

  constructor(private readonly settings: OpenAiSettings) {
    const baseURL = settings.baseUrl || 'https://api.openai.com/v1';
    this.host = safeHost(baseURL);
    // Local servers (Ollama, vLLM, LM Studio) need no key, but the client insists on one.
    this.client = new OpenAI({ baseURL, apiKey: settings.apiKey || 'not-needed', timeout: settings.timeoutMs ?? 120_000, maxRetries: 1 });
    this.id = `openai:${settings.model}@${this.host}`;
  }

  async chat(messages: ChatMessage[], opts: ChatOptions = {}): Promise<ChatResult> {
    try {
      const stream = await this.client.chat.completions.create({
        model: this.settings.model,
        messages: messages.map(toOpenAi),
        stream: true,
        temperature: opts.temperature ?? 0.1,
        ...(opts.tools?.length ? { tools: opts.tools.map(toTool) } : {}),
      }, { signal: opts.signal });
      let content = '';
      const calls = new Map<number, ToolCall>();
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta;
        if (delta?.content) { content += delta.content; opts.onToken?.(delta.content); }
        for (const tc of delta?.tool_calls ?? []) {
          const c = calls.get(tc.index) ?? { id: tc.id ?? `call_${tc.index}`, name: '', arguments: '' };
          if (tc.id) c.id = tc.id;
          if (tc.function?.name) c.name += tc.function.name;
          if (tc.function?.arguments) c.arguments += tc.function.arguments;
          calls.set(tc.index, c);
        }
      }
      return { content, toolCalls: [...calls.values()] };
    } catch (e) {
      throw this.explain(e);
    }
  }

  private explain(e: unknown): Error {
    if (e instanceof Error && e.name === 'AbortError') return e;
    if (e instanceof OpenAI.APIUserAbortError) return Object.assign(new Error('cancelled'), { name: 'AbortError' });
    if (e instanceof OpenAI.APIError && e.status) {
      const hint = e.status === 401 || e.status === 403 ? ' — check the API key (Set API key command or OPENAI_API_KEY)'
        : e.status === 404 ? ` — check the model name "${this.settings.model}" and the base URL` : '';
      return new LlmError(`The language model at ${this.host} answered ${e.status}: ${firstLine(e.message)}${hint}`, this.host, e.status);
    }
    const reason = e instanceof Error ? firstLine(e.message) : String(e);
    return new LlmError(`Could not reach the language model at ${this.host}: ${reason} — check the base URL and that the server is running.`, this.host);
  }
}

function toOpenAi(m: ChatMessage): ChatCompletionMessageParam {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  if (m.role === 'assistant' && m.toolCalls?.length) {
    return { role: 'assistant', content: m.content || null, tool_calls: m.toolCalls.map(c => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) };
  }
  return { role: m.role, content: m.content };
}

function toTool(t: { name: string; description: string; parameters: Record<string, unknown> }): ChatCompletionTool {
  return { type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } };
}

function safeHost(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 300);
}
