// The chat's side of one analytics-agent run: turns agent events into tool-call blocks for the view, and asks the
// user before a model-proposed query runs (inline "Run query / Cancel" in the chat, or a modal when the chat is not
// showing). The agent itself (core/agent) decides what runs; this only shows and asks.
import { randomUUID } from 'node:crypto';
import type { AgentEvent } from '../../core/agent/types';
import type { QueryConfirmation, ToolStep, ToWebview } from '../protocol';
import { confirmQueryModal } from '../warehouse/confirmQuery';

const DECLINED = 'You declined this query: it did not run, and the model was told.';

export class AgentSession {
  readonly steps: ToolStep[] = [];
  private waiting?: QueryConfirmation & { resolve: (approved: boolean) => void };

  /**
   * `post` reaches the view currently attached (it may reload mid-run); `inline` says whether a view is there to
   * answer an inline prompt.
   */
  constructor(private readonly answerId: string, private readonly post: (m: ToWebview) => void, private readonly inline: () => boolean) {}

  /** The prompt still waiting for the user (for a view that reloads). */
  get confirm(): QueryConfirmation | undefined {
    return this.waiting ? { queryId: this.waiting.queryId, sql: this.waiting.sql } : undefined;
  }

  onEvent(e: AgentEvent): void {
    if (e.type === 'token') return;
    if (e.type === 'tool_call') {
      this.update({ id: e.id, name: e.name, args: e.args, ...(e.sql ? { sql: e.sql } : {}), status: 'running' });
      return;
    }
    const step = this.steps.find(s => s.id === e.id);
    if (e.type === 'refused') {
      const reason = /^refused\b/i.test(e.reason) ? e.reason : `Refused: ${e.reason}`;
      this.update({ ...(step ?? { id: e.id, name: 'execute_query', args: {} }), sql: e.sql, status: 'refused', detail: `${reason} (the SQL guard; nothing ran)` });
      return;
    }
    if (!step) return;
    const next: ToolStep = { ...step, summary: e.summary };
    // A refusal or decline stays visible as such; the agent's own result line is the summary.
    if (step.status !== 'refused' && step.status !== 'declined' && step.status !== 'stopped') next.status = e.ok ? 'ok' : 'error';
    if (!e.ok && e.error && next.status === 'error') next.detail = e.error.replace(/^ERROR:\s*/, '');
    if (e.result) { next.rowCount = e.result.rows.length; next.elapsedMs = e.result.elapsedMs; }
    this.update(next);
  }

  /** Asks whether the model's query may run: inline in the chat when it is showing, else in a modal dialog. */
  async confirmQuery(sql: string, warehouse: string, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false;
    const step = [...this.steps].reverse().find(s => s.status === 'running' && (s.sql === sql || s.name === 'execute_query'));
    if (step) this.update({ ...step, sql, status: 'awaiting' });
    const approved = this.inline() ? await this.askInline(sql, signal) : await confirmQueryModal(sql, warehouse);
    const refusal: Partial<ToolStep> = signal.aborted ? { status: 'stopped', detail: 'Stopped before it ran.' } : { status: 'declined', detail: DECLINED };
    if (step) this.update({ ...(this.steps.find(s => s.id === step.id) ?? step), ...(approved && !signal.aborted ? { status: 'running' } : refusal) });
    return approved && !signal.aborted;
  }

  /** The view's answer to the inline prompt; false when no such prompt is waiting. */
  resolve(queryId: string, approved: boolean): boolean {
    if (this.waiting?.queryId !== queryId) return false;
    this.waiting.resolve(approved);
    return true;
  }

  private askInline(sql: string, signal: AbortSignal): Promise<boolean> {
    const queryId = randomUUID();
    return new Promise<boolean>(resolve => {
      const done = (approved: boolean) => {
        signal.removeEventListener('abort', onAbort);
        this.waiting = undefined;
        this.post({ type: 'confirmDone', id: this.answerId, queryId, approved });
        resolve(approved);
      };
      const onAbort = () => done(false);
      signal.addEventListener('abort', onAbort);
      this.waiting = { queryId, sql, resolve: done };
      this.post({ type: 'confirmQuery', id: this.answerId, confirm: { queryId, sql } });
    });
  }

  private update(step: ToolStep): void {
    const i = this.steps.findIndex(s => s.id === step.id);
    if (i >= 0) this.steps[i] = step; else this.steps.push(step);
    this.post({ type: 'step', id: this.answerId, step });
  }
}
