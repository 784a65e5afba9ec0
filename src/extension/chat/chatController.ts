// Runs questions from the chat view against the active folder's engine: streams tokens, supports stop, falls back
// to an offline answer (with a note naming the host and reason) when the language model fails, and persists turns.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { LlmError } from '../../core/llm/types';
import type { Answer } from '../../core/types';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import type { FolderEngine } from '../engines/folderEngine';
import type { ModelManager } from '../llm/modelManager';
import type { Log } from '../log';
import type { ChatTurn, PendingAnswer, ToWebview, ViewStatus } from '../protocol';
import type { ConversationStore } from './conversationStore';
import { exampleQuestions } from './examples';
import { suggestFollowUps } from './followUps';

export interface StatusSource {
  summary(): { state: ViewStatus['state']; text: string };
}

export class ChatController implements vscode.Disposable {
  private pending?: PendingAnswer & { abort: AbortController };
  /** Example questions of the last snapshot (status updates come with every progress tick). */
  private exampleCache?: { snap: unknown; questions: string[] };
  private post: (m: ToWebview) => void = () => undefined;
  private readonly subscriptions: vscode.Disposable[];
  private readonly turnDone = new vscode.EventEmitter<ChatTurn>();
  /** Fires after each answer (tests, the Ask command). */
  readonly onDidAnswer = this.turnDone.event;

  constructor(private readonly engines: WorkspaceEngines, private readonly models: ModelManager, private readonly store: ConversationStore,
    private readonly status: StatusSource, private readonly log: Log) {
    const update = () => this.post({ type: 'status', status: this.viewStatus(), examples: this.examples() });
    this.subscriptions = [engines.onDidChange(update), models.onDidChange(update), this.turnDone];
  }

  /** Connects a (re)loaded view: it gets the whole conversation, and any answer still streaming. */
  attach(post: (m: ToWebview) => void): void {
    this.post = post;
    const pending = this.pending ? { id: this.pending.id, question: this.pending.question, text: this.pending.text } : undefined;
    post({ type: 'init', turns: this.store.turns(), inputHistory: this.store.inputHistory(), status: this.viewStatus(), examples: this.examples(), ...(pending ? { pending } : {}) });
  }

  detach(): void {
    this.post = () => undefined;
  }

  /** The persisted conversation, oldest first. */
  turns(): ChatTurn[] {
    return this.store.turns();
  }

  get busy(): boolean {
    return !!this.pending;
  }

  async ask(question: string): Promise<ChatTurn | undefined> {
    if (this.pending) {
      void vscode.window.showInformationMessage('An answer is still being written: stop it first or wait for it.');
      return undefined;
    }
    const id = randomUUID();
    const abort = new AbortController();
    this.pending = { id, question, text: '', abort };
    this.post({ type: 'answerStart', id, question });
    let turn: ChatTurn;
    try {
      const answer = await this.answer(question, this.pending);
      turn = this.turn(id, question, answer.answer, answer.mode, answer.citations);
      // Some clients end the stream quietly on abort instead of throwing: the answer is still a stopped one.
      if (abort.signal.aborted) turn.cancelled = true;
    } catch (e) {
      turn = abort.signal.aborted
        ? { ...this.turn(id, question, this.pending.text, 'llm', []), cancelled: true }
        : this.turn(id, question, `Could not answer: ${this.log.clean(e instanceof Error ? e.message : String(e))}`, 'error', []);
      if (!abort.signal.aborted) this.log.error(`question failed: ${question}`, e);
    } finally {
      this.pending = undefined;
    }
    await this.store.add(turn);
    this.post({ type: 'answerDone', turn });
    this.turnDone.fire(turn);
    return turn;
  }

  stop(id: string): void {
    if (this.pending?.id === id) this.pending.abort.abort();
  }

  async clear(): Promise<void> {
    this.pending?.abort.abort();
    await this.store.clear();
    this.post({ type: 'cleared' });
  }

  /** Puts a question into the view's input (and sends it when `submit`). */
  prefill(question: string, submit: boolean): void {
    this.post({ type: 'prefill', question, submit });
  }

  private async answer(question: string, p: PendingAnswer & { abort: AbortController }): Promise<Answer> {
    const folder = this.engines.active();
    const engine = await folder?.get();
    if (!folder || !engine) return { answer: noEngineText(folder), mode: 'offline', citations: [] };
    const onToken = (t: string) => { p.text += t; this.post({ type: 'answerToken', id: p.id, text: t }); };
    try {
      return await engine.ask(question, { onToken, signal: p.abort.signal });
    } catch (e) {
      if (!(e instanceof LlmError) || p.abort.signal.aborted) throw e;
      // The model failed: say so (host and reason), then answer from the index alone.
      this.log.warn(e.message);
      const note = `> ${e.message}\n>\n> Answered offline from the index instead.\n\n`;
      this.post({ type: 'answerToken', id: p.id, text: `\n\n${note}` });
      const offline = await engine.ask(question, { signal: p.abort.signal, offline: true });
      return { ...offline, answer: note + offline.answer };
    }
  }

  private turn(id: string, question: string, answer: string, mode: ChatTurn['mode'], citations: ChatTurn['citations']): ChatTurn {
    return { id, question, answer, mode, citations, followUps: mode === 'error' ? [] : suggestFollowUps(question, citations), at: new Date().toISOString() };
  }

  private viewStatus(): ViewStatus {
    const s = this.status.summary();
    const m = this.models.current;
    return { state: s.state, text: s.text, model: m.problem ? `${m.label} (unavailable)` : m.label };
  }

  private examples(): string[] {
    const snap = this.engines.active()?.snapshot;
    if (!this.exampleCache || this.exampleCache.snap !== snap) this.exampleCache = { snap, questions: exampleQuestions(snap?.graph.nodes() ?? []) };
    return this.exampleCache.questions;
  }

  dispose(): void {
    this.pending?.abort.abort();
    for (const s of this.subscriptions) s.dispose();
  }
}

function noEngineText(folder: FolderEngine | undefined): string {
  if (!folder) return 'No dbt project found in this workspace: open a folder that contains a `dbt_project.yml`.';
  return `The index of ${folder.folder.name} could not be opened${folder.error ? `: ${folder.error}` : ''}. Run "DEA: Show Index Diagnostics" for details.`;
}
