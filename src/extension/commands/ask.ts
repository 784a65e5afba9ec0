// "Ask a question" and "Explain the current model": both go through the sidebar chat so answers stream there.
import * as vscode from 'vscode';
import { explainQuestion } from '../../core/answer/commandQuestions';
import type { ChatController } from '../chat/chatController';
import type { ChatViewProvider } from '../chat/chatViewProvider';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import type { ChatTurn } from '../protocol';
import { resolveNode } from '../nodeRef';

export async function ask(view: ChatViewProvider, chat: ChatController, question?: unknown): Promise<ChatTurn | undefined> {
  const q = typeof question === 'string' && question.trim() ? question.trim()
    : await vscode.window.showInputBox({ title: 'Ask the Data Engineering Agent', prompt: 'A question about your dbt project, its lineage, tests or history', placeHolder: 'What feeds fct_orders?', ignoreFocusOut: true });
  if (!q?.trim()) return undefined;
  await view.reveal();
  return chat.ask(q.trim());
}

export async function explainModel(engines: WorkspaceEngines, view: ChatViewProvider, chat: ChatController, arg?: unknown): Promise<ChatTurn | undefined> {
  const r = await resolveNode(engines, arg, 'Explain');
  if (!r) return undefined;
  await view.reveal();
  return chat.ask(explainQuestion(r.node));
}
