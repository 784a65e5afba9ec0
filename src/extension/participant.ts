// The `@dea` participant in VS Code's own chat: answers from the same engine with the model the user picked in
// that chat (request.model), streams the text, and lists its citations as references. Questions about data values
// go to the analytics agent with the same model (tool calling through vscode.lm): each tool call shows as progress,
// and the answer ends with the SQL it used, the rows as a markdown table and its sources.
import * as vscode from 'vscode';
import { oneLine } from '../core/agent/quote';
import type { AgentEvent } from '../core/agent/types';
import { commandQuestion } from '../core/answer/commandQuestions';
import { editOutcomeMarkdown } from '../core/answer/editRequest';
import { suggestFollowUps } from '../core/answer/followUps';
import { LlmAnswerer } from '../core/answer/llm';
import { LlmError } from '../core/llm/types';
import type { Answer, Citation } from '../core/types';
import type { AgentRoute, ChatEdits } from './chat/chatController';
import { commitUri } from './commitDocument';
import type { FolderEngine } from './engines/folderEngine';
import type { WorkspaceEngines } from './engines/workspaceEngines';
import { VsCodeLmChatModel } from './llm/vscodeLmModel';
import type { Log } from './log';
import { lineRange, uriOf } from './paths';
import { readSettings } from './settings';
import { confirmQueryModal } from './warehouse/confirmQuery';
import type { WarehouseAccess } from './warehouse/warehouseAccess';

export const PARTICIPANT_ID = 'dea.chat';

export interface ParticipantDeps {
  engines: WorkspaceEngines;
  warehouses: WarehouseAccess;
  log: Log;
  /** Asks before a model-proposed query runs, unless the user allowed read-only queries (default: a modal dialog). */
  confirmQuery?: (sql: string, warehouse: string) => Promise<boolean>;
  /** The approvable actions (/document, /gentests, /review): the participant only proposes; the preview asks. */
  edits?: ChatEdits;
}

/** Slash commands that propose a change (or review), by the action they run. */
const EDIT_COMMANDS: Record<string, 'document' | 'tests' | 'review'> = { document: 'document', gentests: 'tests', review: 'review' };

interface DeaChatResult extends vscode.ChatResult {
  metadata: { question: string; citations: Citation[] };
}

export function registerParticipant(deps: ParticipantDeps, extensionUri: vscode.Uri): vscode.ChatParticipant {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, (request, _context, stream, token) => handle(deps, request, stream, token));
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  participant.followupProvider = {
    provideFollowups(result: vscode.ChatResult): vscode.ChatFollowup[] {
      const m = (result as DeaChatResult).metadata;
      return m ? suggestFollowUps(m.question, m.citations).map(prompt => ({ prompt, label: prompt })) : [];
    },
  };
  return participant;
}

export async function handle(deps: ParticipantDeps, request: vscode.ChatRequest, stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken): Promise<DeaChatResult> {
  const editKind = request.command ? EDIT_COMMANDS[request.command] : undefined;
  if (editKind) return handleEdit(deps, editKind, request.prompt, stream);
  const question = commandQuestion(request.command, request.prompt);
  const folder = deps.engines.active();
  const engine = await folder?.get();
  if (!folder || !engine) {
    stream.markdown('No dbt project is indexed in this workspace: open a folder with a `dbt_project.yml`, then run **DEA: Show Index Diagnostics** if it still fails.');
    return { metadata: { question, citations: [] } };
  }
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  const model = new VsCodeLmChatModel(request.model);
  // Slash commands ask about the project; only a free question may be about the data.
  const route = request.command ? {} : await deps.warehouses.route(folder, engine, question, model).catch(e => {
    deps.log.error('could not decide whether the analytics agent answers', e);
    return {} as Awaited<ReturnType<WarehouseAccess['route']>>;
  });
  let answer: Answer;
  try {
    if (route.agent) {
      answer = await agentAnswer(deps, folder, route.agent, stream, abort.signal);
    } else {
      stream.progress(`Searching the ${folder.folder.name} index…`);
      answer = await new LlmAnswerer(model, c => engine.docOf(c)).answer(question, await engine.context(), { onToken: t => stream.markdown(t), signal: abort.signal });
      if (route.note) stream.markdown(`\n\n> ${route.note}`);
    }
  } catch (e) {
    if (!(e instanceof LlmError) || abort.signal.aborted) throw e;
    deps.log.warn(e.message);
    stream.markdown(`\n\n> ${e.message}\n>\n> Answered offline from the index instead.\n\n`);
    answer = await engine.ask(question, { offline: true, signal: abort.signal });
    stream.markdown(answer.answer);
  }
  for (const c of answer.citations) {
    const target = referenceOf(folder.folder, c);
    if (target) stream.reference(target);
  }
  return { metadata: { question, citations: answer.citations } };
}

/** /document, /gentests, /review: the same actions as the sidebar chat; the outcome (a rejection too) is the reply. */
async function handleEdit(deps: ParticipantDeps, kind: 'document' | 'tests' | 'review', prompt: string, stream: vscode.ChatResponseStream): Promise<DeaChatResult> {
  const node = prompt.trim().replace(/`/g, '').split(/\s+/)[0] ?? '';
  const question = `/${kind} ${node}`.trim();
  if (!deps.edits) {
    stream.markdown('Changes cannot be proposed here: the approvable actions are not available in this window.');
    return { metadata: { question, citations: [] } };
  }
  if (!node) {
    stream.markdown(`Name a model, source, seed or snapshot, e.g. \`@dea /${kind === 'tests' ? 'gentests' : kind} fct_orders\`.`);
    return { metadata: { question, citations: [] } };
  }
  if (kind === 'review') {
    const folder = deps.edits.actions.folderFor({ node });
    if (!folder) { stream.markdown('No dbt project is open: open a folder holding a `dbt_project.yml`.'); return { metadata: { question, citations: [] } }; }
    stream.progress(`Reviewing ${node}…`);
    await folder.whenIdle();
    const r = await deps.edits.reviews.review(folder, folder.snapshot?.graph.resolve(node)?.uniqueId ?? node, 'chat');
    stream.markdown(r.markdown);
    return { metadata: { question, citations: [] } };
  }
  stream.progress(`Planning the change; it opens in the Refactor Preview for your approval…`);
  const r = await deps.edits.actions.proposeFromChat(kind, { node });
  stream.markdown(editOutcomeMarkdown(r, `${kind === 'tests' ? 'Generate tests for' : 'Document'} ${node}`));
  return { metadata: { question, citations: [] } };
}

/** The analytics agent: tool calls as progress, then its words, the SQL, the rows as a markdown table and the sources. */
async function agentAnswer(deps: ParticipantDeps, folder: FolderEngine, agent: AgentRoute, stream: vscode.ChatResponseStream, signal: AbortSignal): Promise<Answer> {
  const s = readSettings(folder.folder);
  stream.progress(`Exploring the warehouse ${agent.warehouse}…`);
  deps.log.info(`analytics agent (VS Code chat) on ${agent.warehouse}`);
  const confirm = deps.confirmQuery ?? confirmQueryModal;
  const a = await agent.run({
    signal, maxRows: s.sqlMaxRows, timeoutMs: s.sqlTimeoutSeconds * 1000, allowPersonalData: s.sendPersonalDataToModel,
    onEvent: e => { const line = progressLine(e); if (line) stream.progress(line); },
    ...(s.allowReadOnlyWithoutAsking ? {} : { confirmQuery: (sql: string) => confirm(sql, agent.warehouse) }),
  });
  // The whole markdown: VS Code's chat has no grid, so the rows come as the table core wrote (masked as the model saw them).
  stream.markdown(a.answer);
  return { answer: a.answer, mode: a.mode, citations: a.citations };
}

/** One line per tool call, refusal and failure; results that worked need no line of their own. */
function progressLine(e: AgentEvent): string | undefined {
  if (e.type === 'tool_call') {
    if (e.sql) return `${e.name}: ${oneLine(e.sql)}`;
    const args = Object.entries(e.args).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
    return `${e.name}${args ? ` (${oneLine(args)})` : ''}`;
  }
  if (e.type === 'refused') return `Refused: ${oneLine(e.reason)}`;
  if (e.type === 'tool_result' && !e.ok) return `${e.name} failed: ${oneLine(e.summary)}`;
  return undefined;
}

function referenceOf(folder: vscode.WorkspaceFolder, c: Citation): vscode.Uri | vscode.Location | undefined {
  if (c.commit) return commitUri(folder, c.commit, c.path);
  const uri = uriOf(folder, c.path);
  if (!uri) return undefined;
  return c.startLine ? new vscode.Location(uri, lineRange(c.startLine, c.endLine)) : uri;
}
