// What every agent tool is: a JSON-schema spec the model sees, and a run that returns compact text for the model
// plus structured data for the UI. Tools never throw for bad input or warehouse errors: the model reads the error.
import type { Engine } from '../../engine';
import type { ToolSpec } from '../../llm/types';
import type { WorkspaceSnapshot } from '../../workspace/snapshot';
import type { QueryResult, WarehouseConnection } from '../../warehouse/connection';
import type { AgentCatalog } from '../catalog';
import type { AgentEvent } from '../types';

export type SqlDialect = WarehouseConnection['kind'];

export interface ToolRun {
  ok: boolean;
  /** What the model reads: compact, warehouse text quoted as untrusted data. */
  text: string;
  /** One line for the UI's collapsed tool call. */
  summary: string;
  /** Structured data for the UI (tables, columns, hits...). */
  data?: unknown;
  /** Rows as the warehouse returned them (the model may have received a masked copy). */
  result?: QueryResult;
  sql?: string;
  /** The guard's reason when the SQL was refused. */
  refused?: string;
}

export interface ToolSettings {
  maxRows: number;
  timeoutMs: number;
  allowPersonalData: boolean;
  /** Failed queries (refused, unknown identifiers, SQL errors) allowed per question before execute_query stops running. */
  maxRetries: number;
  confirmQuery?: (sql: string) => Promise<boolean>;
}

/** What one question's run remembers across tool calls. */
export interface RunState {
  failures: number;
  /** The statement the user declined, when no query ran after it. */
  declined?: string;
  /** Why the warehouse could not be opened, once it failed. */
  unavailable?: string;
  /** The last statement that ran, its rows, and the copy the model saw. */
  last?: { sql: string; result: QueryResult; sent: QueryResult; masked: string[] };
}

export interface ToolContext {
  engine: Pick<Engine, 'search'>;
  snap: WorkspaceSnapshot;
  catalog: AgentCatalog;
  dialect: SqlDialect;
  /** Opens the warehouse on first use; later calls share it. */
  connection(): Promise<WarehouseConnection>;
  settings: ToolSettings;
  state: RunState;
  signal?: AbortSignal;
  /** Id of the current call (unique within the run), for events. */
  callId: string;
  emit(e: AgentEvent): void;
}

export interface AgentTool {
  spec: ToolSpec;
  /** The SQL a call will run, shown with the tool call before it runs. */
  sqlOf?(args: Record<string, unknown>): string | undefined;
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolRun>;
}

export function fail(text: string, summary = text): ToolRun {
  return { ok: false, text: `ERROR: ${text}`, summary: firstLine(summary) };
}

export function firstLine(s: string, max = 160): string {
  const line = s.split('\n')[0];
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function argString(args: Record<string, unknown>, name: string): string | undefined {
  const v = args[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export function argNumber(args: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const v = typeof args[name] === 'string' ? Number(args[name]) : args[name];
  if (typeof v !== 'number' || !Number.isFinite(v)) return fallback;
  return Math.min(max, Math.max(min, Math.round(v)));
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function isAbort(e: unknown, signal?: AbortSignal): boolean {
  return !!signal?.aborted || (e instanceof Error && (e.name === 'AbortError' || e.name === 'APIUserAbortError'));
}
