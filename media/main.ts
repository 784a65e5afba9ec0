// The chat webview's script: DOM glue only. Rendering is in render.ts/markdown.ts (pure, tested); every message
// to and from the extension goes through the typed protocol and its checks.
import {
  parseToWebview, type ChatTurn, type Citation, type FromWebview, type GridSort, type PendingAnswer, type QueryConfirmation, type ToolStep,
  type ToWebview, type ViewStatus,
} from '../src/extension/protocol';
import { renderGridTable } from './grid';
import { renderAnswer, renderFollowUpItems, renderQuestion } from './render';
import { nextSort } from './resultTable';
import { renderConfirm, renderStep } from './steps';
import { InputHistory } from './inputHistory';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const log = $<HTMLElement>('log');
const empty = $<HTMLElement>('empty');
const form = $<HTMLFormElement>('ask-form');
const input = $<HTMLTextAreaElement>('question');
const send = $<HTMLButtonElement>('send');
const stop = $<HTMLButtonElement>('stop');
const statusText = $<HTMLElement>('status-text');
const modelButton = $<HTMLButtonElement>('model');
const clear = $<HTMLButtonElement>('clear');
const examples = $<HTMLElement>('examples');

const turns = new Map<string, Pick<ChatTurn, 'citations'> & Partial<ChatTurn>>();
/** How the user sorted each turn's result grid. */
const sorts = new Map<string, GridSort>();
let history = new InputHistory();
/** The answer being written: `el` holds its text, `steps` its tool-call blocks, `confirm` a pending Run/Cancel prompt. */
let streaming: { id: string; text: string; el: HTMLElement; steps: HTMLElement; confirm: HTMLElement; timer?: number } | undefined;

const post = (m: FromWebview) => vscode.postMessage(m);

function turnElement(id: string, question: string): HTMLElement {
  const el = document.createElement('article');
  el.className = 'turn';
  el.dataset.turnId = id;
  el.setAttribute('aria-label', 'Question and answer');
  // Only strings from the escaping renderers are assigned as HTML.
  el.innerHTML = `${renderQuestion(question)}<div class="answer" aria-live="polite"></div>`;
  log.appendChild(el);
  empty.hidden = true;
  return el;
}

function showTurn(turn: ChatTurn): void {
  const el = log.querySelector<HTMLElement>(`article[data-turn-id="${CSS.escape(turn.id)}"]`) ?? turnElement(turn.id, turn.question);
  turns.set(turn.id, turn);
  el.querySelector<HTMLElement>('.answer')!.innerHTML = renderAnswer(turn, false, sorts.get(turn.id), chartWidth());
  el.classList.remove('streaming');
}

/** The width a chart gets: the conversation's, within bounds (charts then scale with the view). */
function chartWidth(): number {
  return Math.max(240, Math.min(640, log.clientWidth - 24));
}

function startAnswer(p: PendingAnswer): void {
  const el = turnElement(p.id, p.question);
  el.classList.add('streaming');
  turns.set(p.id, { citations: [] });
  const answer = el.querySelector<HTMLElement>('.answer')!;
  answer.innerHTML = '<div class="steps" aria-label="Tool calls"></div><div class="stream-text"></div><div class="confirm-host"></div>';
  streaming = { id: p.id, text: p.text, el: answer.querySelector<HTMLElement>('.stream-text')!, steps: answer.querySelector<HTMLElement>('.steps')!,
    confirm: answer.querySelector<HTMLElement>('.confirm-host')! };
  for (const step of p.steps ?? []) showStep(step);
  if (p.confirm) showConfirm(p.confirm);
  renderStreaming();
  setBusy(true);
  scrollToEnd(true);
}

/** Adds a tool-call block, or updates it in place (keeping it expanded if the user expanded it). */
function showStep(step: ToolStep): void {
  if (!streaming) return;
  const follow = nearEnd();
  const old = streaming.steps.querySelector<HTMLDetailsElement>(`[data-step-id="${CSS.escape(step.id)}"]`);
  const html = renderStep(step, old?.open ?? false);
  if (old) old.outerHTML = html; else streaming.steps.insertAdjacentHTML('beforeend', html);
  if (follow) scrollToEnd(true);
}

function showConfirm(c: QueryConfirmation): void {
  if (!streaming) return;
  streaming.confirm.innerHTML = renderConfirm(c);
  scrollToEnd(true);
  streaming.confirm.querySelector<HTMLButtonElement>('[data-confirm="run"]')?.focus();
}

function answerConfirm(button: HTMLElement): void {
  const box = button.closest<HTMLElement>('.confirm');
  const queryId = box?.dataset.queryId;
  if (!box || !queryId) return;
  box.querySelectorAll('button').forEach(b => { b.disabled = true; });
  post({ type: 'confirmQuery', queryId, approved: button.dataset.confirm === 'run' });
}

/** Header click: next sort order for that column, re-rendering only the table. */
function sortGrid(button: HTMLElement): void {
  const id = button.closest<HTMLElement>('article.turn')?.dataset.turnId;
  const turn = id ? turns.get(id) : undefined;
  const wrap = button.closest<HTMLElement>('.grid-wrap');
  if (!id || !turn?.result || !wrap) return;
  const sort = nextSort(sorts.get(id), Number(button.dataset.sortCol));
  if (sort) sorts.set(id, sort); else sorts.delete(id);
  wrap.innerHTML = renderGridTable(turn.result, sort);
  wrap.querySelector<HTMLElement>(`[data-sort-col="${Number(button.dataset.sortCol)}"]`)?.focus();
}

function resultAction(button: HTMLElement): void {
  const turnId = button.closest<HTMLElement>('article.turn')?.dataset.turnId;
  const action = button.dataset.resultAction;
  if (!turnId || (action !== 'copyTsv' && action !== 'exportCsv')) return;
  const sort = sorts.get(turnId);
  post({ type: 'resultAction', action, turnId, ...(sort ? { sort } : {}) });
  if (action === 'copyTsv') flash(button, 'Copied');
}

/** Re-renders the streamed text at most every 50 ms: markdown needs the whole text (an open code fence, a table). */
function scheduleRender(): void {
  if (!streaming || streaming.timer !== undefined) return;
  streaming.timer = window.setTimeout(() => { if (streaming) { streaming.timer = undefined; renderStreaming(); } }, 50);
}

function renderStreaming(): void {
  if (!streaming) return;
  const follow = nearEnd();
  streaming.el.innerHTML = renderAnswer({ answer: streaming.text, citations: [], followUps: [], mode: 'llm' }, true);
  if (follow) followTurn(streaming.el.closest('article')!);
}

function finishAnswer(turn: ChatTurn): void {
  const el = streaming?.id === turn.id ? streaming.el.closest('article') : null;
  if (streaming?.id === turn.id) { clearTimeout(streaming.timer); streaming = undefined; }
  const follow = nearEnd();
  showTurn(turn);
  setBusy(false);
  if (follow && el) followTurn(el);
}

/** Keeps the newest answer in view: its end while it fits, else its question at the top (read from the start). */
function followTurn(turn: Element): void {
  const top = (turn as HTMLElement).offsetTop - log.offsetTop - 4;
  log.scrollTop = Math.min(log.scrollHeight - log.clientHeight, Math.max(0, top));
}

function setBusy(busy: boolean): void {
  stop.hidden = !busy;
  send.hidden = busy;
  form.setAttribute('aria-busy', String(busy));
}

function nearEnd(): boolean {
  return log.scrollHeight - log.scrollTop - log.clientHeight < 60;
}

function scrollToEnd(force = false): void {
  if (force || nearEnd()) log.scrollTop = log.scrollHeight;
  else log.lastElementChild?.scrollIntoView({ block: 'end' });
}

function showStatus(s: ViewStatus): void {
  statusText.textContent = s.text;
  statusText.dataset.state = s.state;
  modelButton.textContent = s.model;
  modelButton.setAttribute('aria-label', `Language model: ${s.model}. Choose another`);
}

function ask(question: string): void {
  const q = question.trim();
  if (!q || streaming) return;
  history.push(q);
  post({ type: 'ask', question: q });
  input.value = '';
  autoSize();
}

function handle(m: ToWebview): void {
  switch (m.type) {
    case 'init':
      log.querySelectorAll('article.turn').forEach(e => e.remove());
      turns.clear();
      streaming = undefined;
      m.turns.forEach(showTurn);
      history = new InputHistory(m.inputHistory);
      showStatus(m.status);
      examples.innerHTML = renderFollowUpItems(m.examples);
      empty.hidden = m.turns.length > 0 || !!m.pending;
      setBusy(false);
      if (m.pending) startAnswer(m.pending);
      scrollToEnd(true);
      break;
    case 'status':
      showStatus(m.status);
      if (m.examples) examples.innerHTML = renderFollowUpItems(m.examples);
      break;
    case 'answerStart': startAnswer({ id: m.id, question: m.question, text: '' }); break;
    case 'answerToken':
      if (streaming?.id === m.id) { streaming.text += m.text; scheduleRender(); }
      break;
    case 'answerDone': finishAnswer(m.turn); break;
    case 'step':
      if (streaming?.id === m.id) showStep(m.step);
      break;
    case 'confirmQuery':
      if (streaming?.id === m.id) showConfirm(m.confirm);
      break;
    case 'confirmDone':
      if (streaming?.id === m.id && streaming.confirm.querySelector(`[data-query-id="${CSS.escape(m.queryId)}"]`)) streaming.confirm.innerHTML = '';
      break;
    case 'cleared':
      log.querySelectorAll('article.turn').forEach(e => e.remove());
      turns.clear();
      sorts.clear();
      history.clear();
      empty.hidden = false;
      break;
    case 'prefill':
      input.value = m.question;
      autoSize();
      input.focus();
      if (m.submit) ask(m.question);
      break;
  }
}

function citationOf(target: HTMLElement): Citation | undefined {
  const id = target.closest<HTMLElement>('article.turn')?.dataset.turnId;
  const index = Number(target.dataset.cite);
  return id ? turns.get(id)?.citations[index] : undefined;
}

/** The answer a chip or link belongs to: its citations open in the folder that answered. */
function turnOf(target: HTMLElement): { turnId?: string } {
  const id = target.closest<HTMLElement>('article.turn')?.dataset.turnId;
  return id ? { turnId: id } : {};
}

function onLogClick(e: MouseEvent): void {
  const target = (e.target as HTMLElement).closest<HTMLElement>('[data-cite], [data-code-action], [data-follow-up], [data-sort-col], [data-result-action], [data-confirm], [data-edit], a.link-external, a.link-file');
  if (!target) return;
  e.preventDefault();
  if (target.dataset.sortCol !== undefined) sortGrid(target);
  else if (target.dataset.resultAction) resultAction(target);
  else if (target.dataset.confirm) answerConfirm(target);
  else if (target.dataset.edit) editAction(target);
  else if (target.dataset.cite !== undefined) {
    const citation = citationOf(target);
    if (citation) post({ type: 'openCitation', citation, ...turnOf(target) });
  } else if (target.dataset.codeAction) {
    const block = target.closest<HTMLElement>('.code-block');
    const code = block?.querySelector('code')?.textContent ?? '';
    const action = target.dataset.codeAction as 'copy' | 'insert' | 'openSql';
    post({ type: 'codeAction', action, code, ...(block?.dataset.lang ? { language: block.dataset.lang } : {}) });
    if (action === 'copy') flash(target, 'Copied');
  } else if (target.dataset.followUp) {
    ask(target.dataset.followUp);
  } else if (target.dataset.href) {
    post({ type: 'openLink', href: target.dataset.href });
  } else if (target.dataset.path) {
    const line = Number(target.dataset.line) || undefined;
    post({ type: 'openCitation', citation: { path: target.dataset.path, kind: 'file', ...(line ? { startLine: line, endLine: line } : {}) }, ...turnOf(target) });
  }
}

/** A button under an answer: the action goes to the extension (which previews it for approval); Rename… fills the input. */
function editAction(button: HTMLElement): void {
  const list = button.closest<HTMLElement>('ul.edit-actions');
  const turnId = button.closest<HTMLElement>('article.turn')?.dataset.turnId;
  const { node, name, source, table } = list?.dataset ?? {};
  const kind = button.dataset.edit;
  if (!list || !turnId || !node || !kind || streaming) return;
  if (kind === 'rename') {
    input.value = `rename model ${name ?? node} to `;
    autoSize();
    input.focus();
    return;
  }
  if (kind === 'staging') {
    if (source && table) post({ type: 'proposeEdit', turnId, kind: 'staging', target: { source, table } });
    return;
  }
  if (kind === 'document' || kind === 'tests' || kind === 'review' || kind === 'optimize') post({ type: 'proposeEdit', turnId, kind, target: { node } });
}

function flash(button: HTMLElement, text: string): void {
  const before = button.textContent;
  button.textContent = text;
  setTimeout(() => { button.textContent = before; }, 1200);
}

function autoSize(): void {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 200)}px`;
}

function onKey(e: KeyboardEvent): void {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); ask(input.value); return; }
  const atTop = input.selectionStart === 0 && input.selectionEnd === 0;
  const atEnd = input.selectionStart === input.value.length;
  if (e.key === 'ArrowUp' && (atTop || !input.value.includes('\n'))) {
    const prev = history.previous(input.value);
    if (prev !== undefined) { e.preventDefault(); input.value = prev; autoSize(); }
  } else if (e.key === 'ArrowDown' && (atEnd || !input.value.includes('\n'))) {
    const next = history.next();
    if (next !== undefined) { e.preventDefault(); input.value = next; autoSize(); }
  } else if (e.key === 'Escape' && streaming) {
    post({ type: 'stop', id: streaming.id });
  }
}

form.addEventListener('submit', e => { e.preventDefault(); ask(input.value); });
input.addEventListener('keydown', onKey);
input.addEventListener('input', autoSize);
stop.addEventListener('click', () => { if (streaming) post({ type: 'stop', id: streaming.id }); });
clear.addEventListener('click', () => post({ type: 'clearHistory' }));
modelButton.addEventListener('click', () => post({ type: 'chooseModel' }));
log.addEventListener('click', onLogClick);
empty.addEventListener('click', onLogClick);
// Links are focusable spans of role=link: Enter/Space activate them like buttons.
log.addEventListener('keydown', e => {
  const t = e.target as HTMLElement;
  if ((e.key === 'Enter' || e.key === ' ') && t.getAttribute('role') === 'link') { e.preventDefault(); t.click(); }
});
window.addEventListener('message', (e: MessageEvent) => {
  const m = parseToWebview(e.data);
  if (m) handle(m);
});
post({ type: 'ready' });
