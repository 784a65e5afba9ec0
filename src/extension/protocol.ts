// The one message protocol between the chat webview (media/) and the extension. Pure TypeScript with no
// vscode or DOM import, so both sides (and node tests) share it. Every message crossing the boundary is checked
// with the parse functions below: the webview is treated as untrusted input and vice versa.
import type { Citation } from '../core/types';

export type { Citation };

/** One question and its answer, as shown and persisted. */
export interface ChatTurn {
  id: string;
  question: string;
  /** Markdown; rendered by the webview's safe renderer, never as raw HTML. */
  answer: string;
  citations: Citation[];
  /** 'offline' and 'llm' come from the engine; 'error' when the question could not be answered. */
  mode: 'offline' | 'llm' | 'error';
  followUps: string[];
  cancelled?: boolean;
  /** ISO time the answer finished. */
  at: string;
}

/** What the status line at the top of the chat shows. */
export interface ViewStatus {
  state: 'starting' | 'indexing' | 'ready' | 'error' | 'no-project';
  text: string;
  /** The language model answers come from, or 'offline answers'. */
  model: string;
}

export interface PendingAnswer {
  id: string;
  question: string;
  text: string;
}

export type ToWebview =
  /** Sent when the view (re)loads; `pending` is an answer still streaming. */
  | { type: 'init'; turns: ChatTurn[]; inputHistory: string[]; status: ViewStatus; pending?: PendingAnswer; examples: string[] }
  | { type: 'status'; status: ViewStatus; examples?: string[] }
  | { type: 'answerStart'; id: string; question: string }
  | { type: 'answerToken'; id: string; text: string }
  | { type: 'answerDone'; turn: ChatTurn }
  | { type: 'cleared' }
  /** Puts a question into the input (Ask command, code lens); submits it when `submit`. */
  | { type: 'prefill'; question: string; submit: boolean };

export type CodeAction = 'copy' | 'insert' | 'openSql';

export type FromWebview =
  | { type: 'ready' }
  | { type: 'ask'; question: string }
  | { type: 'stop'; id: string }
  | { type: 'openCitation'; citation: Citation }
  | { type: 'codeAction'; action: CodeAction; code: string; language?: string }
  | { type: 'openLink'; href: string }
  | { type: 'clearHistory' }
  | { type: 'chooseModel' };

const MAX_TEXT = 200_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;
const optStr = (v: unknown): boolean => v === undefined || str(v, 2000);
const optLine = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 1);

export function isCitation(v: unknown): v is Citation {
  return isObj(v) && str(v.path, 2000) && str(v.kind, 100) && optLine(v.startLine) && optLine(v.endLine)
    && optStr(v.commit) && optStr(v.nodeId) && optStr(v.title);
}

/** A citation reduced to its known fields (drops anything extra a sender added). */
function cleanCitation(c: Citation): Citation {
  const out: Citation = { path: c.path, kind: c.kind };
  if (c.startLine !== undefined) out.startLine = c.startLine;
  if (c.endLine !== undefined) out.endLine = c.endLine;
  if (c.commit !== undefined) out.commit = c.commit;
  if (c.nodeId !== undefined) out.nodeId = c.nodeId;
  if (c.title !== undefined) out.title = c.title;
  return out;
}

/** The extension's view of a webview message: a valid FromWebview, or undefined for anything else. */
export function parseFromWebview(raw: unknown): FromWebview | undefined {
  if (!isObj(raw)) return undefined;
  switch (raw.type) {
    case 'ready': case 'clearHistory': case 'chooseModel':
      return { type: raw.type };
    case 'ask':
      return str(raw.question, 10_000) && raw.question.trim() ? { type: 'ask', question: raw.question.trim() } : undefined;
    case 'stop':
      return str(raw.id, 200) ? { type: 'stop', id: raw.id } : undefined;
    case 'openCitation':
      return isCitation(raw.citation) ? { type: 'openCitation', citation: cleanCitation(raw.citation) } : undefined;
    case 'codeAction':
      if (raw.action !== 'copy' && raw.action !== 'insert' && raw.action !== 'openSql') return undefined;
      if (!str(raw.code) || !optStr(raw.language)) return undefined;
      return { type: 'codeAction', action: raw.action, code: raw.code, ...(raw.language ? { language: raw.language as string } : {}) };
    case 'openLink':
      return str(raw.href, 2000) ? { type: 'openLink', href: raw.href } : undefined;
    default:
      return undefined;
  }
}

export function isChatTurn(v: unknown): v is ChatTurn {
  return isObj(v) && str(v.id, 200) && str(v.question) && str(v.answer) && Array.isArray(v.citations) && v.citations.every(isCitation)
    && (v.mode === 'offline' || v.mode === 'llm' || v.mode === 'error') && Array.isArray(v.followUps)
    && v.followUps.every(f => str(f, 1000)) && str(v.at, 100) && (v.cancelled === undefined || typeof v.cancelled === 'boolean');
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length <= 20 && v.every(x => str(x, 1000));
}

function isPending(v: unknown): v is PendingAnswer {
  return isObj(v) && str(v.id, 200) && str(v.question) && str(v.text);
}

function isViewStatus(v: unknown): v is ViewStatus {
  return isObj(v) && ['starting', 'indexing', 'ready', 'error', 'no-project'].includes(v.state as string) && str(v.text, 2000) && str(v.model, 500);
}

/** The webview's view of an extension message: a valid ToWebview, or undefined. */
export function parseToWebview(raw: unknown): ToWebview | undefined {
  if (!isObj(raw)) return undefined;
  switch (raw.type) {
    case 'init':
      return Array.isArray(raw.turns) && raw.turns.every(isChatTurn) && Array.isArray(raw.inputHistory)
        && raw.inputHistory.every(q => str(q, 10_000)) && isViewStatus(raw.status) && (raw.pending === undefined || isPending(raw.pending))
        && isStringList(raw.examples)
        ? raw as ToWebview : undefined;
    case 'status':
      return isViewStatus(raw.status) && (raw.examples === undefined || isStringList(raw.examples)) ? raw as ToWebview : undefined;
    case 'answerStart':
      return str(raw.id, 200) && str(raw.question) ? raw as ToWebview : undefined;
    case 'answerToken':
      return str(raw.id, 200) && str(raw.text) ? raw as ToWebview : undefined;
    case 'answerDone':
      return isChatTurn(raw.turn) ? raw as ToWebview : undefined;
    case 'cleared':
      return { type: 'cleared' };
    case 'prefill':
      return str(raw.question, 10_000) && typeof raw.submit === 'boolean' ? raw as ToWebview : undefined;
    default:
      return undefined;
  }
}
