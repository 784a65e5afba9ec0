// The one message protocol between the chat webview (media/) and the extension. Pure TypeScript with no
// vscode or DOM import, so both sides (and node tests) share it. Every message crossing the boundary is checked
// with the parse functions below: the webview is treated as untrusted input and vice versa.
import { CHAT_EDIT_KINDS, type ChatEditKind, type ChatEditTarget } from '../core/answer/editRequest';
import type { Citation } from '../core/types';
import type { QueryResult } from '../core/warehouse/connection';

export type { ChatEditKind, ChatEditTarget, Citation, QueryResult };

/** The node an answer is about (its first citation), for the action buttons under it. */
export interface TurnEdits {
  /** unique_id of the model/source/seed/snapshot. */
  node: string;
  name: string;
  resourceType: 'model' | 'source' | 'seed' | 'snapshot';
  /** Whether "Optimize" is offered (a model, and a language model configured). */
  optimize?: boolean;
  /** Sources: the source and table name, for "New staging model". */
  source?: string;
  table?: string;
}

/** One tool call of the analytics agent, as the chat shows it (collapsible, with its SQL). */
export interface ToolStep {
  id: string;
  name: string;
  args: Record<string, unknown>;
  sql?: string;
  /** 'awaiting': the query waits for the user's Run/Cancel; 'declined': the user said no; 'stopped': the user pressed Stop
   *  while it waited (it never ran); 'refused': the SQL guard said no. */
  status: 'running' | 'awaiting' | 'ok' | 'error' | 'refused' | 'declined' | 'stopped';
  summary?: string;
  /** The error, refusal reason or decline note. */
  detail?: string;
  /** Rows and elapsed time of a query step, for the block's header. */
  rowCount?: number;
  elapsedMs?: number;
}

/** A model-proposed query waiting for the user (inline Run query / Cancel). */
export interface QueryConfirmation {
  queryId: string;
  sql: string;
}

/** One question and its answer, as shown and persisted. */
export interface ChatTurn {
  id: string;
  question: string;
  /** Markdown; rendered by the webview's safe renderer, never as raw HTML. */
  answer: string;
  citations: Citation[];
  /** 'offline' and 'llm' come from the engine; 'sql' from "Run SQL (read-only)"; 'error' when the question could not be answered. */
  mode: 'offline' | 'llm' | 'sql' | 'error';
  followUps: string[];
  cancelled?: boolean;
  /** ISO time the answer finished. */
  at: string;
  /** The analytics agent's tool calls, in order. */
  steps?: ToolStep[];
  /** The SQL the answer relies on, and its result (shown as a grid and, when the shape fits, a chart). */
  sql?: string;
  result?: QueryResult;
  /** URI of the workspace folder that answered: its citations open there (multi-root workspaces). */
  folder?: string;
  /** Action buttons under the answer (Document, Generate tests, Review, …). */
  edits?: TurnEdits;
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
  steps?: ToolStep[];
  confirm?: QueryConfirmation;
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
  | { type: 'prefill'; question: string; submit: boolean }
  /** A tool call started or changed (replaces the step with the same id). */
  | { type: 'step'; id: string; step: ToolStep }
  /** Asks the user to run or cancel a model-proposed query; `confirmDone` removes the prompt. */
  | { type: 'confirmQuery'; id: string; confirm: QueryConfirmation }
  | { type: 'confirmDone'; id: string; queryId: string; approved: boolean };

export type CodeAction = 'copy' | 'insert' | 'openSql';
export type ResultAction = 'copyTsv' | 'exportCsv';

/** How the user sorted a result grid (the extension copies/exports in the same order). */
export interface GridSort {
  column: number;
  dir: 'asc' | 'desc';
}

export type FromWebview =
  | { type: 'ready' }
  | { type: 'ask'; question: string }
  | { type: 'stop'; id: string }
  /** `turnId`: the answer the citation belongs to, so it opens in the folder that answered. */
  | { type: 'openCitation'; citation: Citation; turnId?: string }
  | { type: 'codeAction'; action: CodeAction; code: string; language?: string }
  | { type: 'openLink'; href: string }
  | { type: 'clearHistory' }
  | { type: 'chooseModel' }
  | { type: 'confirmQuery'; queryId: string; approved: boolean }
  /** Copy or export a turn's result: the extension uses its own copy of the rows, never cell data from the view. */
  | { type: 'resultAction'; action: ResultAction; turnId: string; sort?: GridSort }
  /** An approvable action from a button under an answer: planned, previewed, and its outcome added as a turn. */
  | { type: 'proposeEdit'; turnId: string; kind: ChatEditKind; target: ChatEditTarget };

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
      if (!isCitation(raw.citation) || (raw.turnId !== undefined && !str(raw.turnId, 200))) return undefined;
      return { type: 'openCitation', citation: cleanCitation(raw.citation), ...(raw.turnId ? { turnId: raw.turnId as string } : {}) };
    case 'codeAction':
      if (raw.action !== 'copy' && raw.action !== 'insert' && raw.action !== 'openSql') return undefined;
      if (!str(raw.code) || !optStr(raw.language)) return undefined;
      return { type: 'codeAction', action: raw.action, code: raw.code, ...(raw.language ? { language: raw.language as string } : {}) };
    case 'openLink':
      return str(raw.href, 2000) ? { type: 'openLink', href: raw.href } : undefined;
    case 'confirmQuery':
      return str(raw.queryId, 200) && typeof raw.approved === 'boolean' ? { type: 'confirmQuery', queryId: raw.queryId, approved: raw.approved } : undefined;
    case 'resultAction': {
      if (raw.action !== 'copyTsv' && raw.action !== 'exportCsv') return undefined;
      if (!str(raw.turnId, 200) || (raw.sort !== undefined && !isGridSort(raw.sort))) return undefined;
      return { type: 'resultAction', action: raw.action, turnId: raw.turnId, ...(raw.sort ? { sort: { column: raw.sort.column, dir: raw.sort.dir } } : {}) };
    }
    case 'proposeEdit': {
      const target = editTarget(raw.target);
      if (!str(raw.turnId, 200) || !CHAT_EDIT_KINDS.includes(raw.kind as ChatEditKind) || !target) return undefined;
      return { type: 'proposeEdit', turnId: raw.turnId, kind: raw.kind as ChatEditKind, target };
    }
    default:
      return undefined;
  }
}

const TARGET_FIELDS = ['node', 'newName', 'column', 'path', 'source', 'table', 'failure', 'goal'] as const;

/** An action's target reduced to its known string fields; the folder is never taken from the view (the turn's is used). */
function editTarget(v: unknown): ChatEditTarget | undefined {
  if (!isObj(v)) return undefined;
  const out: ChatEditTarget = {};
  for (const k of TARGET_FIELDS) {
    if (v[k] === undefined) continue;
    if (!str(v[k], 500)) return undefined;
    out[k] = v[k] as string;
  }
  if (v.mode !== undefined) {
    if (v.mode !== 'per-model' && v.mode !== 'selector-groups') return undefined;
    out.mode = v.mode;
  }
  return out;
}

function isTurnEdits(v: unknown): v is TurnEdits {
  return isObj(v) && str(v.node, 2000) && str(v.name, 1000) && ['model', 'source', 'seed', 'snapshot'].includes(v.resourceType as string)
    && (v.optimize === undefined || typeof v.optimize === 'boolean') && (v.source === undefined || str(v.source, 1000))
    && (v.table === undefined || str(v.table, 1000));
}

function isGridSort(v: unknown): v is GridSort {
  return isObj(v) && typeof v.column === 'number' && Number.isInteger(v.column) && v.column >= 0 && v.column < 10_000 && (v.dir === 'asc' || v.dir === 'desc');
}

const MAX_ROWS = 100_000;
const MAX_COLUMNS = 1000;

/** A cell is JSON data: primitives, or arrays/objects of them (DuckDB lists and structs); shown as text, never as HTML. */
function isCell(v: unknown, depth = 0): boolean {
  if (v === null || typeof v === 'boolean' || (typeof v === 'number' && !Number.isNaN(v)) || str(v, 100_000)) return true;
  if (depth > 4) return false;
  if (Array.isArray(v)) return v.length <= 1000 && v.every(x => isCell(x, depth + 1));
  return isObj(v) && Object.keys(v).length <= 200 && Object.values(v).every(x => isCell(x, depth + 1));
}

export function isQueryResult(v: unknown): v is QueryResult {
  return isObj(v) && Array.isArray(v.columns) && v.columns.length <= MAX_COLUMNS
    && v.columns.every(c => isObj(c) && str(c.name, 1000) && str(c.type, 200))
    && Array.isArray(v.rows) && v.rows.length <= MAX_ROWS
    && v.rows.every(r => Array.isArray(r) && r.length === (v.columns as unknown[]).length && r.every(x => isCell(x)))
    && typeof v.truncated === 'boolean' && typeof v.elapsedMs === 'number' && v.elapsedMs >= 0 && str(v.sql);
}

const STEP_STATUS = ['running', 'awaiting', 'ok', 'error', 'refused', 'declined', 'stopped'];
const optNum = (v: unknown) => v === undefined || (typeof v === 'number' && v >= 0);

export function isToolStep(v: unknown): v is ToolStep {
  return isObj(v) && str(v.id, 200) && str(v.name, 200) && isObj(v.args) && isCell(v.args) && (v.sql === undefined || str(v.sql))
    && STEP_STATUS.includes(v.status as string) && (v.summary === undefined || str(v.summary, 20_000))
    && (v.detail === undefined || str(v.detail, 20_000)) && optNum(v.rowCount) && optNum(v.elapsedMs);
}

function isConfirmation(v: unknown): v is QueryConfirmation {
  return isObj(v) && str(v.queryId, 200) && str(v.sql);
}

export function isChatTurn(v: unknown): v is ChatTurn {
  return isObj(v) && str(v.id, 200) && str(v.question) && str(v.answer) && Array.isArray(v.citations) && v.citations.every(isCitation)
    && (v.mode === 'offline' || v.mode === 'llm' || v.mode === 'sql' || v.mode === 'error') && Array.isArray(v.followUps)
    && v.followUps.every(f => str(f, 1000)) && str(v.at, 100) && (v.cancelled === undefined || typeof v.cancelled === 'boolean')
    && (v.steps === undefined || (Array.isArray(v.steps) && v.steps.length <= 100 && v.steps.every(isToolStep)))
    && (v.sql === undefined || str(v.sql)) && (v.result === undefined || isQueryResult(v.result)) && (v.folder === undefined || str(v.folder, 2000))
    && (v.edits === undefined || isTurnEdits(v.edits));
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length <= 20 && v.every(x => str(x, 1000));
}

function isPending(v: unknown): v is PendingAnswer {
  return isObj(v) && str(v.id, 200) && str(v.question) && str(v.text)
    && (v.steps === undefined || (Array.isArray(v.steps) && v.steps.every(isToolStep))) && (v.confirm === undefined || isConfirmation(v.confirm));
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
    case 'step':
      return str(raw.id, 200) && isToolStep(raw.step) ? raw as ToWebview : undefined;
    case 'confirmQuery':
      return str(raw.id, 200) && isConfirmation(raw.confirm) ? raw as ToWebview : undefined;
    case 'confirmDone':
      return str(raw.id, 200) && str(raw.queryId, 200) && typeof raw.approved === 'boolean' ? raw as ToWebview : undefined;
    default:
      return undefined;
  }
}
