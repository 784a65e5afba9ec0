// The provider abstraction: anything that can chat (an OpenAI-compatible endpoint here; VS Code's vscode.lm in the extension).

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON schema of the arguments. */
  parameters: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  /** Arguments as the model wrote them (JSON text). */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

export interface ChatOptions {
  tools?: ToolSpec[];
  onToken?: (text: string) => void;
  signal?: AbortSignal;
  temperature?: number;
}

export interface ChatResult {
  content: string;
  toolCalls: ToolCall[];
}

export interface ChatModel {
  /** e.g. 'openai:gpt-4o-mini@api.openai.com' — for status and logs, never a secret. */
  readonly id: string;
  chat(messages: ChatMessage[], opts?: ChatOptions): Promise<ChatResult>;
}

/** A provider failure with a message that names the host and the reason. */
export class LlmError extends Error {
  constructor(message: string, readonly host: string, readonly status?: number) {
    super(message);
    this.name = 'LlmError';
  }
}
