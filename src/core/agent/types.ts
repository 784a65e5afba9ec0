// The analytics agent's contract with its callers (CLI, extension chat, VS Code chat).
import type { Citation } from '../types';
import type { QueryResult } from '../warehouse/connection';

/** What the agent reports while it works; the UI shows each tool call (collapsible, with its SQL). */
export type AgentEvent =
  | { type: 'token'; text: string }
  | { type: 'tool_call'; id: string; name: string; args: Record<string, unknown>; sql?: string }
  | { type: 'tool_result'; id: string; name: string; ok: boolean; summary: string; result?: QueryResult; error?: string }
  | { type: 'refused'; id: string; sql: string; reason: string };

export interface AgentOptions {
  onEvent?: (e: AgentEvent) => void;
  signal?: AbortSignal;
  /** Asked before a model-proposed query runs, unless the user allowed read-only queries without asking. */
  confirmQuery?: (sql: string) => Promise<boolean>;
  maxSteps?: number;
  maxRows?: number;
  timeoutMs?: number;
  /** Send personal-data columns unmasked to the model (off by default). */
  allowPersonalData?: boolean;
  /** Failed queries (refused, unknown identifiers, SQL errors) allowed per question before execute_query stops
   *  running statements (default 2: the model retries with the exact schema it is shown). */
  maxRetries?: number;
}

export interface AgentAnswer {
  /** The whole answer as markdown, for text-only readers (the CLI): the model's words, the note, the SQL block, the
   *  result as a markdown table (masked unless personal data is allowed) and the sources line. */
  answer: string;
  /** The model's own words only, for UIs that show `sql`, `result` and `citations` themselves (a one-line stand-in
   *  when the model gave none). */
  text: string;
  /** Why the run ended early, for the reader (the user declined a query, or the step limit was reached). */
  note?: string;
  mode: 'llm';
  /** The SQL whose result the answer relies on (the last successful query). */
  sql?: string;
  result?: QueryResult;
  /** dbt models/columns and files it relied on, most relevant first. */
  citations: Citation[];
  steps: number;
  /** Set when the run ended early: the user declined a query, or the step limit was reached. */
  stopped?: 'declined' | 'step_limit';
}
