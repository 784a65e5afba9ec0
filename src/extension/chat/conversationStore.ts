// The conversation and the input history, persisted per workspace (workspaceState) and clearable.
import type * as vscode from 'vscode';
import { isChatTurn, type ChatTurn } from '../protocol';

const TURNS = 'dea.chat.turns';
const INPUTS = 'dea.chat.inputHistory';
const MAX_INPUTS = 100;
/** Result rows kept per stored turn: the workspace state is not a data store. */
const MAX_STORED_ROWS = 1000;

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
    await this.state.update(TURNS, [...this.turns(), compact(turn)].slice(-this.maxTurns()));
    const inputs = this.inputHistory();
    // "Run SQL" turns are not questions typed into the chat: ↑ should not recall them.
    if (turn.mode !== 'sql' && inputs.at(-1) !== turn.question) await this.state.update(INPUTS, [...inputs, turn.question].slice(-MAX_INPUTS));
  }

  async clear(): Promise<void> {
    await this.state.update(TURNS, []);
    await this.state.update(INPUTS, []);
  }
}

function compact(turn: ChatTurn): ChatTurn {
  const r = turn.result;
  return r && r.rows.length > MAX_STORED_ROWS ? { ...turn, result: { ...r, rows: r.rows.slice(0, MAX_STORED_ROWS), truncated: true } } : turn;
}
