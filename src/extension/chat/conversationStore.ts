// The conversation and the input history, persisted per workspace (workspaceState) and clearable.
import type * as vscode from 'vscode';
import { isChatTurn, type ChatTurn } from '../protocol';

const TURNS = 'dea.chat.turns';
const INPUTS = 'dea.chat.inputHistory';
const MAX_INPUTS = 100;

export class ConversationStore {
  constructor(private readonly state: vscode.Memento, private readonly maxTurns: () => number) {}

  /** Stored turns; anything damaged or from an older format is dropped rather than shown. */
  turns(): ChatTurn[] {
    const raw = this.state.get<unknown[]>(TURNS, []);
    return Array.isArray(raw) ? raw.filter(isChatTurn) : [];
  }

  inputHistory(): string[] {
    const raw = this.state.get<unknown[]>(INPUTS, []);
    return Array.isArray(raw) ? raw.filter((q): q is string => typeof q === 'string') : [];
  }

  async add(turn: ChatTurn): Promise<void> {
    await this.state.update(TURNS, [...this.turns(), turn].slice(-this.maxTurns()));
    const inputs = this.inputHistory();
    if (inputs.at(-1) !== turn.question) await this.state.update(INPUTS, [...inputs, turn.question].slice(-MAX_INPUTS));
  }

  async clear(): Promise<void> {
    await this.state.update(TURNS, []);
    await this.state.update(INPUTS, []);
  }
}
