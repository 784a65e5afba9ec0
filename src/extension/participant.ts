// The `@dea` participant in VS Code's own chat: answers from the same engine with the model the user picked in
// that chat (request.model), streams the text, and lists its citations as references.
import * as vscode from 'vscode';
import { LlmAnswerer } from '../core/answer/llm';
import { LlmError } from '../core/llm/types';
import type { Answer, Citation } from '../core/types';
import type { WorkspaceEngines } from './engines/workspaceEngines';
import { suggestFollowUps } from './chat/followUps';
import { commitUri } from './commitDocument';
import { VsCodeLmChatModel } from './llm/vscodeLmModel';
import type { Log } from './log';
import { lineRange, uriOf } from './paths';

export const PARTICIPANT_ID = 'dea.chat';

/** Slash commands (declared in package.json) become the start of the question. */
const COMMAND_PREFIX: Record<string, string> = {
  explain: 'Explain ',
  lineage: 'What is upstream and downstream of ',
  history: 'Who changed and what changed recently in ',
  tests: 'Which tests cover ',
};

interface DeaChatResult extends vscode.ChatResult {
  metadata: { question: string; citations: Citation[] };
}

export function registerParticipant(engines: WorkspaceEngines, extensionUri: vscode.Uri, log: Log): vscode.ChatParticipant {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, (request, _context, stream, token) => handle(engines, log, request, stream, token));
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  participant.followupProvider = {
    provideFollowups(result: vscode.ChatResult): vscode.ChatFollowup[] {
      const m = (result as DeaChatResult).metadata;
      return m ? suggestFollowUps(m.question, m.citations).map(prompt => ({ prompt, label: prompt })) : [];
    },
  };
  return participant;
}

export async function handle(engines: WorkspaceEngines, log: Log, request: vscode.ChatRequest, stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken): Promise<DeaChatResult> {
  const question = `${request.command ? COMMAND_PREFIX[request.command] ?? '' : ''}${request.prompt}`.trim();
  const folder = engines.active();
  const engine = await folder?.get();
  if (!folder || !engine) {
    stream.markdown('No dbt project is indexed in this workspace: open a folder with a `dbt_project.yml`, then run **DEA: Show Index Diagnostics** if it still fails.');
    return { metadata: { question, citations: [] } };
  }
  stream.progress(`Searching the ${folder.folder.name} index…`);
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  let answer: Answer;
  try {
    const answerer = new LlmAnswerer(new VsCodeLmChatModel(request.model), c => engine.docOf(c));
    answer = await answerer.answer(question, await engine.context(), { onToken: t => stream.markdown(t), signal: abort.signal });
  } catch (e) {
    if (!(e instanceof LlmError) || abort.signal.aborted) throw e;
    log.warn(e.message);
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

function referenceOf(folder: vscode.WorkspaceFolder, c: Citation): vscode.Uri | vscode.Location | undefined {
  if (c.commit) return commitUri(folder, c.commit, c.path);
  const uri = uriOf(folder, c.path);
  if (!uri) return undefined;
  return c.startLine ? new vscode.Location(uri, lineRange(c.startLine, c.endLine)) : uri;
}
