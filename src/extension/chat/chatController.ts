// Runs questions from the chat view against the active folder's engine: streams tokens, supports stop, falls back
// to an offline answer (with a note naming the host and reason) when the language model fails, and persists turns.
// Analytical questions go to the analytics agent when a model and a warehouse are available: its tool calls show as
// blocks, model-proposed queries wait for the user's Run/Cancel, and the answer carries the SQL and its rows.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentAnswer, AgentOptions } from '../../core/agent/types';
import { LlmError } from '../../core/llm/types';
import type { Answer } from '../../core/types';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import type { FolderEngine } from '../engines/folderEngine';
import type { ModelManager } from '../llm/modelManager';
import type { Log } from '../log';
import type { ChatEditKind, ChatEditTarget, ChatTurn, GridSort, PendingAnswer, ResultAction, ToWebview, TurnEdits, ViewStatus } from '../protocol';
import { readSettings } from '../settings';
import type { WarehouseAccess } from '../warehouse/warehouseAccess';
import { AgentSession } from './agentSession';
import { agentChatText } from './agentText';
import type { ConversationStore } from './conversationStore';
import { editLabel, editOutcomeMarkdown, parseEditRequest, type EditRequest } from '../../core/answer/editRequest';
import { exampleQuestions } from '../../core/answer/exampleQuestions';
import type { EditActions } from '../edits/actions';
import type { ReviewPanel } from '../edits/reviewPanel';
import { suggestFollowUps } from '../../core/answer/followUps';
import { resultAction } from './resultActions';

export interface StatusSource {
  summary(): { state: ViewStatus['state']; text: string };
}

/** The approvable actions the chat reaches (registerEdits' actions and reviews). */
export interface ChatEdits {
  actions: Pick<EditActions, 'proposeFromChat' | 'folderFor'>;
  reviews: Pick<ReviewPanel, 'review'>;
}

/** What an answer adds to a turn beyond the engine's Answer: the agent's steps, SQL and rows. */
type TurnAnswer = Omit<Answer, 'mode'> & Pick<ChatTurn, 'mode'> & Partial<Pick<ChatTurn, 'steps' | 'sql' | 'result'>>;

export class ChatController implements vscode.Disposable {
  private pending?: PendingAnswer & { abort: AbortController; session?: AgentSession };
  /** Whether a view is attached (an inline Run/Cancel prompt can be answered). */
  private attached = false;
  /** Example questions of the last snapshot (status updates come with every progress tick). */
  private exampleCache?: { snap: unknown; questions: string[] };
  private post: (m: ToWebview) => void = () => undefined;
  private readonly subscriptions: vscode.Disposable[];
  private readonly turnDone = new vscode.EventEmitter<ChatTurn>();
  /** Fires after each answer (tests, the Ask command). */
  readonly onDidAnswer = this.turnDone.event;

  constructor(private readonly engines: WorkspaceEngines, private readonly models: ModelManager, private readonly store: ConversationStore,
    private readonly status: StatusSource, private readonly log: Log, private readonly warehouses: WarehouseAccess,
    private readonly edits?: ChatEdits) {
    const update = () => this.post({ type: 'status', status: this.viewStatus(), examples: this.examples() });
    this.subscriptions = [engines.onDidChange(update), models.onDidChange(update), this.turnDone];
  }

  /** Connects a (re)loaded view: it gets the whole conversation, and any answer still streaming. */
  attach(post: (m: ToWebview) => void): void {
    this.post = post;
    this.attached = true;
    const p = this.pending;
    const confirm = p?.session?.confirm;
    const pending = p ? { id: p.id, question: p.question, text: p.text, ...(p.session ? { steps: p.session.steps } : {}), ...(confirm ? { confirm } : {}) } : undefined;
    post({ type: 'init', turns: this.store.turns(), inputHistory: this.store.inputHistory(), status: this.viewStatus(), examples: this.examples(), ...(pending ? { pending } : {}) });
  }

  detach(): void {
    this.post = () => undefined;
    this.attached = false;
  }

  /** The persisted conversation, oldest first. */
  turns(): ChatTurn[] {
    return this.store.turns();
  }

  get busy(): boolean {
    return !!this.pending;
  }

  /** A question, or a change request: typed ("document fct_orders") or `edit` from a button (proposeEdit). */
  async ask(question: string, edit?: EditRequest): Promise<ChatTurn | undefined> {
    if (this.pending) {
      void vscode.window.showInformationMessage('An answer is still being written: stop it first or wait for it.');
      return undefined;
    }
    const id = randomUUID();
    const abort = new AbortController();
    this.pending = { id, question, text: '', abort };
    this.post({ type: 'answerStart', id, question });
    // The active editor's folder answers (else the first indexed one); its citations open there.
    const folder = this.engines.active();
    const where = folder ? { folder: folder.folder.uri.toString() } : {};
    const request = edit ?? (this.edits ? parseEditRequest(question) : undefined);
    let turn: ChatTurn;
    try {
      const answer = request ? await this.runEdit(request) : await this.answer(question, folder, this.pending);
      turn = { ...this.turn(id, question, answer.answer, answer.mode, answer.citations), ...extras(answer), ...where };
      if (request) turn.followUps = [];
      else { const edits = this.turnEdits(answer.citations, folder); if (edits) turn.edits = edits; }
      // Some clients end the stream quietly on abort instead of throwing: the answer is still a stopped one.
      if (abort.signal.aborted) turn.cancelled = true;
    } catch (e) {
      // The agent's tool calls so far stay visible on a stopped or failed answer.
      const steps = this.pending.session?.steps.length ? { steps: this.pending.session.steps } : {};
      turn = abort.signal.aborted
        ? { ...this.turn(id, question, this.pending.text, 'llm', []), cancelled: true, ...steps, ...where }
        : { ...this.turn(id, question, `Could not answer: ${this.log.clean(e instanceof Error ? e.message : String(e))}`, 'error', []), ...steps, ...where };
      if (!abort.signal.aborted) this.log.error(`question failed: ${question}`, e);
    } finally {
      this.pending = undefined;
    }
    await this.store.add(turn);
    this.post({ type: 'answerDone', turn });
    this.turnDone.fire(turn);
    return turn;
  }

  /** A button under an answer: the action runs in the folder that answered; its outcome becomes a turn of its own. */
  proposeEdit(turnId: string, kind: ChatEditKind, target: ChatEditTarget): Promise<ChatTurn | undefined> {
    const folder = this.store.turns().find(t => t.id === turnId)?.folder;
    const request: EditRequest = { kind, target: { ...target, ...(folder ? { folder } : {}) } };
    return this.ask(editLabel(request), request);
  }

  /** Plans, previews and (if approved) applies one action, or reviews a model; the outcome in words, a rejection as one. */
  private async runEdit(r: EditRequest): Promise<TurnAnswer> {
    if (!this.edits) return { answer: 'Changes cannot be proposed from this chat: the approvable actions are not available.', mode: 'error', citations: [] };
    if (r.kind === 'review') return this.runReview(r.target);
    const res = await this.edits.actions.proposeFromChat(r.kind, r.target);
    return { answer: editOutcomeMarkdown(res, editLabel(r)), mode: res.status === 'invalid' ? 'error' : 'offline', citations: [] };
  }

  private async runReview(t: ChatEditTarget): Promise<TurnAnswer> {
    const folder = this.edits!.actions.folderFor(t);
    const node = t.node?.trim();
    if (!folder || !node) return { answer: node ? 'No dbt project is open to review it in.' : 'Review needs a model: e.g. "review fct_orders".', mode: 'error', citations: [] };
    await folder.whenIdle();
    const id = folder.snapshot?.graph.resolve(node)?.uniqueId ?? node;
    const r = await this.edits!.reviews.review(folder, id, 'chat');
    return { answer: r.markdown, mode: r.problems.length ? 'error' : 'offline', citations: [] };
  }

  /** The buttons under an answer about a model, source, seed or snapshot (its first citation). */
  private turnEdits(citations: ChatTurn['citations'], folder: FolderEngine | undefined): TurnEdits | undefined {
    const id = citations[0]?.nodeId;
    const node = this.edits && id ? folder?.snapshot?.graph.get(id) : undefined;
    if (!node || !['model', 'source', 'seed', 'snapshot'].includes(node.resourceType)) return undefined;
    const edits: TurnEdits = { node: node.uniqueId, name: node.name, resourceType: node.resourceType as TurnEdits['resourceType'] };
    if (node.resourceType === 'model' && this.models.current.model) edits.optimize = true;
    if (node.resourceType === 'source') {
      const parts = node.uniqueId.split('.');
      if (parts.length >= 4) { edits.source = parts[2]; edits.table = node.name; }
    }
    return edits;
  }

  stop(id: string): void {
    if (this.pending?.id === id) this.pending.abort.abort();
  }

  /** The user's Run query / Cancel on an inline prompt; false when no such prompt waits. */
  resolveConfirmation(queryId: string, approved: boolean): boolean {
    return this.pending?.session?.resolve(queryId, approved) ?? false;
  }

  /** The prompt currently waiting for the user, if any (tests, and the view when it reloads). */
  get waitingConfirmation(): { queryId: string; sql: string } | undefined {
    return this.pending?.session?.confirm;
  }

  /** The workspace folder that answered a stored turn (where its citations open). */
  folderOf(turnId: string | undefined): vscode.WorkspaceFolder | undefined {
    const uri = turnId ? this.store.turns().find(t => t.id === turnId)?.folder : undefined;
    return uri ? vscode.workspace.workspaceFolders?.find(f => f.uri.toString() === uri) : undefined;
  }

  /** Copy TSV / Export CSV of a stored turn's result. */
  resultAction(turnId: string, action: ResultAction, sort?: GridSort): Promise<vscode.Uri | boolean> {
    return resultAction(this.store.turns().find(t => t.id === turnId), action, sort);
  }

  /** Adds a finished turn that did not come from a question (Run SQL): stored, shown, announced. */
  async addTurn(turn: ChatTurn): Promise<ChatTurn | undefined> {
    if (this.pending) {
      void vscode.window.showInformationMessage('An answer is still being written: stop it first or wait for it.');
      return undefined;
    }
    await this.store.add(turn);
    this.post({ type: 'answerDone', turn });
    this.turnDone.fire(turn);
    return turn;
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

  private async answer(question: string, folder: FolderEngine | undefined, p: PendingAnswer & { abort: AbortController; session?: AgentSession }): Promise<TurnAnswer> {
    const engine = await folder?.get();
    if (!folder || !engine) return { answer: noEngineText(folder), mode: 'offline', citations: [] };
    const onToken = (t: string) => { p.text += t; this.post({ type: 'answerToken', id: p.id, text: t }); };
    const route = await this.warehouses.route(folder, engine, question, this.models.current.model).catch(e => {
      // Routing must never cost the user their answer: the project answerers still work without the warehouse.
      this.log.error('could not decide whether the analytics agent answers', e);
      return {} as Awaited<ReturnType<WarehouseAccess['route']>>;
    });
    try {
      if (route.agent) return await this.runAgent(route.agent, p, onToken);
      const answer = await engine.ask(question, { onToken, signal: p.abort.signal });
      return route.note ? { ...answer, answer: `${answer.answer}\n\n> ${route.note}` } : answer;
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

  /** The analytics agent, with its tool calls shown as they happen and each model-proposed query confirmed first. */
  private async runAgent(agent: AgentRoute, p: PendingAnswer & { abort: AbortController; session?: AgentSession }, onToken: (t: string) => void): Promise<TurnAnswer> {
    const session = new AgentSession(p.id, m => this.post(m), () => this.attached);
    p.session = session;
    const s = readSettings();
    const signal = p.abort.signal;
    this.log.info(`analytics agent on ${agent.warehouse}: ${p.question}`);
    const answer = await agent.run({
      signal, maxRows: s.sqlMaxRows, timeoutMs: s.sqlTimeoutSeconds * 1000, allowPersonalData: s.sendPersonalDataToModel,
      onEvent: e => (e.type === 'token' ? onToken(e.text) : session.onEvent(e)),
      ...(s.allowReadOnlyWithoutAsking ? {} : { confirmQuery: (sql: string) => session.confirmQuery(sql, agent.warehouse, signal) }),
    });
    return {
      answer: agentChatText(answer), mode: answer.mode, citations: answer.citations, steps: session.steps,
      ...(answer.sql ? { sql: answer.sql } : {}), ...(answer.result ? { result: answer.result } : {}),
    };
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

export interface AgentRoute {
  /** For the confirmation dialog and logs: which warehouse the queries run on. */
  warehouse: string;
  run(opts: AgentOptions): Promise<AgentAnswer>;
}

/** The steps, SQL and rows of an agent answer, when there are any. */
function extras(a: TurnAnswer): Partial<ChatTurn> {
  return { ...(a.steps?.length ? { steps: a.steps } : {}), ...(a.sql ? { sql: a.sql } : {}), ...(a.result ? { result: a.result } : {}) };
}

function noEngineText(folder: FolderEngine | undefined): string {
  if (!folder) return 'No dbt project found in this workspace: open a folder that contains a `dbt_project.yml`.';
  return `The index of ${folder.folder.name} could not be opened${folder.error ? `: ${folder.error}` : ''}. Run "DEA: Show Index Diagnostics" for details.`;
}
