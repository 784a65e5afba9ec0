// The core's ChatModel over VS Code's language-model API (the user's Copilot or other vscode.lm models).
import * as vscode from 'vscode';
import { LlmError, type ChatMessage, type ChatModel, type ChatOptions, type ChatResult, type ToolCall } from '../../core/llm/types';

export class VsCodeLmChatModel implements ChatModel {
  readonly id: string;

  constructor(private readonly model: vscode.LanguageModelChat, private readonly justification?: string) {
    this.id = `vscode-lm:${model.vendor}/${model.id}`;
  }

  get name(): string {
    return this.model.name;
  }

  async chat(messages: ChatMessage[], opts: ChatOptions = {}): Promise<ChatResult> {
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = () => cancel.cancel();
    opts.signal?.addEventListener('abort', onAbort);
    try {
      if (opts.signal?.aborted) throw abortError();
      const response = await this.model.sendRequest(toLmMessages(messages), {
        justification: this.justification,
        ...(opts.tools?.length ? { tools: opts.tools.map(t => ({ name: t.name, description: t.description, inputSchema: t.parameters })) } : {}),
      }, cancel.token);
      let content = '';
      const toolCalls: ToolCall[] = [];
      for await (const part of response.stream) {
        if (opts.signal?.aborted) throw abortError();
        if (part instanceof vscode.LanguageModelTextPart) {
          content += part.value;
          opts.onToken?.(part.value);
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          toolCalls.push({ id: part.callId, name: part.name, arguments: JSON.stringify(part.input ?? {}) });
        }
      }
      return { content, toolCalls };
    } catch (e) {
      throw this.explain(e, opts.signal);
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  private explain(e: unknown, signal?: AbortSignal): Error {
    if (signal?.aborted || (e instanceof Error && e.name === 'AbortError')) return abortError();
    const host = `vscode.lm (${this.model.vendor} ${this.model.name})`;
    if (e instanceof vscode.LanguageModelError) {
      const hint = e.code === vscode.LanguageModelError.NoPermissions.name ? ' — allow this extension to use the model when VS Code asks, or choose another model'
        : e.code === vscode.LanguageModelError.NotFound.name ? ' — the model is gone; run "DEA: Choose Language Model"'
        : e.code === vscode.LanguageModelError.Blocked.name ? ' — the request was blocked (quota or policy); try again later' : '';
      return new LlmError(`The language model ${host} refused the request (${e.code}): ${e.message}${hint}`, host);
    }
    return new LlmError(`The language model ${host} failed: ${e instanceof Error ? e.message : String(e)}`, host);
  }
}

/** vscode.lm has no system role: system text goes first as a user message. Tool results are user parts. */
export function toLmMessages(messages: ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  for (const m of messages) {
    if (m.role === 'tool') {
      out.push(vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(m.toolCallId, [new vscode.LanguageModelTextPart(m.content)])]));
    } else if (m.role === 'assistant') {
      const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = [];
      if (m.content) parts.push(new vscode.LanguageModelTextPart(m.content));
      for (const c of m.toolCalls ?? []) parts.push(new vscode.LanguageModelToolCallPart(c.id, c.name, parseArgs(c.arguments)));
      out.push(vscode.LanguageModelChatMessage.Assistant(parts));
    } else {
      out.push(vscode.LanguageModelChatMessage.User(m.content));
    }
  }
  return out;
}

function parseArgs(text: string): object {
  try {
    const v: unknown = JSON.parse(text || '{}');
    return typeof v === 'object' && v !== null ? v : { value: v };
  } catch {
    return { raw: text };
  }
}

function abortError(): Error {
  return Object.assign(new Error('cancelled'), { name: 'AbortError' });
}
