// HTML for the chat's pieces (turns, source chips, follow-ups), as strings built only from escaped text and
// the safe markdown renderer. Pure: the webview script inserts the result, node tests check it.
import type { ChatTurn, Citation, GridSort, TurnEdits } from '../src/extension/protocol';
import { renderResult } from './grid';
import { escapeHtml, renderMarkdown } from './markdown';
import { renderSqlBlock, renderSteps } from './steps';

/** `models/x.sql:3-9`, or `commit 1a2b3c4 · models/x.sql`: the full location, for tooltips and screen readers. */
export function citationLocation(c: Citation): string {
  if (c.commit) return `commit ${c.commit.slice(0, 7)} · ${c.path}`;
  const lines = c.startLine ? `:${c.startLine}${c.endLine && c.endLine !== c.startLine ? `-${c.endLine}` : ''}` : '';
  return `${c.path}${lines}`;
}

/** Short chip label for a narrow sidebar: file name and lines, with the node name when the file does not say it. */
export function citationLabel(c: Citation): string {
  const loc = citationLocation(c);
  const short = c.commit ? `${c.commit.slice(0, 7)} · ${basename(c.path)}` : loc.slice(c.path.length - basename(c.path).length);
  const named = c.title && !basename(c.path).startsWith(`${c.title}.`) && !c.commit;
  return named ? `${c.title} · ${short}` : short;
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function renderChips(citations: Citation[]): string {
  if (!citations.length) return '';
  const chips = citations.map((c, i) => {
    const where = citationLocation(c);
    const what = c.commit ? 'Open the commit\'s change to' : 'Open';
    return `<li><button type="button" class="chip chip-${c.commit ? 'commit' : 'file'}" data-cite="${i}" title="${escapeHtml(`${what} ${where}`)}"`
      + ` aria-label="${escapeHtml(`Source ${i + 1}: ${what} ${where}`)}"><span class="chip-n">${i + 1}</span><span class="chip-label">${escapeHtml(citationLabel(c))}</span></button></li>`;
  }).join('');
  return `<ul class="citations" aria-label="Sources">${chips}</ul>`;
}

/** The `<li>` buttons of a follow-up list (also the view's example questions). */
export function renderFollowUpItems(questions: string[]): string {
  return questions.map(f => `<li><button type="button" class="follow-up" data-follow-up="${escapeHtml(f)}">${escapeHtml(f)}</button></li>`).join('');
}

export function renderFollowUps(followUps: string[]): string {
  if (!followUps.length) return '';
  return `<ul class="follow-ups" aria-label="Suggested follow-up questions">${renderFollowUpItems(followUps)}</ul>`;
}

/** The action buttons under an answer about a model/source/seed/snapshot. `data-edit` is the action (kind) the
 *  extension plans; `rename` and `staging` with no table only fill the input (the user types the new name). */
export function renderEditButtons(e: TurnEdits | undefined): string {
  if (!e) return '';
  const what = e.resourceType;
  const items: [string, string, string][] = [
    ['document', 'Document', `Document the ${what} ${e.name} (previewed for approval)`],
    ['tests', 'Generate tests', `Generate tests for the ${what} ${e.name} (previewed for approval)`],
  ];
  if (what === 'model') {
    items.push(['review', 'Review', `Review the model ${e.name}`]);
    if (e.optimize) items.push(['optimize', 'Optimize', `Optimize the SQL of ${e.name} (previewed for approval)`]);
    items.push(['rename', 'Rename…', `Rename the model ${e.name}: type the new name in the input`]);
  }
  if (what === 'source' && e.source && e.table) items.push(['staging', 'New staging model', `New staging model for ${e.source}.${e.table} (previewed for approval)`]);
  const buttons = items.map(([kind, label, aria]) => `<li><button type="button" class="edit-action" data-edit="${kind}" aria-label="${escapeHtml(aria)}"`
    + ` title="${escapeHtml(aria)}">${escapeHtml(label)}</button></li>`).join('');
  return `<ul class="edit-actions" aria-label="${escapeHtml(`Actions on ${e.name}`)}" data-node="${escapeHtml(e.node)}" data-name="${escapeHtml(e.name)}"`
    + `${e.source ? ` data-source="${escapeHtml(e.source)}"` : ''}${e.table ? ` data-table="${escapeHtml(e.table)}"` : ''}>${buttons}</ul>`;
}

const MODE_LABEL: Record<ChatTurn['mode'], string> = { offline: 'offline answer', llm: 'language model', sql: 'read-only SQL', error: 'error' };

export type RenderableTurn = Pick<ChatTurn, 'answer' | 'citations' | 'followUps' | 'mode' | 'cancelled'> & Partial<Pick<ChatTurn, 'steps' | 'sql' | 'result' | 'edits'>>;

/**
 * The answer part of a turn: the agent's tool calls (collapsed), the markdown, the SQL it used and its result
 * (chart + sortable grid), then its sources and follow-ups.
 */
export function renderAnswer(turn: RenderableTurn, streaming = false, sort?: GridSort, chartWidth?: number): string {
  const body = renderMarkdown(turn.answer, { citationCount: turn.citations.length }) || (streaming ? '<p class="thinking">Thinking…</p>' : '');
  if (streaming) return `<div class="answer-body">${body}</div>`;
  const note = turn.cancelled ? '<p class="note">Stopped.</p>' : '';
  const sql = turn.sql ? `<div class="sql-used"><div class="step-label">${turn.mode === 'error' ? 'SQL (not run)' : 'SQL used'}</div>${renderSqlBlock(turn.sql)}</div>` : '';
  return `${renderSteps(turn.steps)}<div class="answer-body${turn.mode === 'error' ? ' error' : ''}">${body}</div>${sql}`
    + `${turn.result ? renderResult(turn.result, sort, chartWidth) : ''}${note}`
    + `<div class="answer-meta">${escapeHtml(MODE_LABEL[turn.mode])}</div>${renderChips(turn.citations)}${renderEditButtons(turn.edits)}${renderFollowUps(turn.followUps)}`;
}

export function renderQuestion(question: string): string {
  return `<div class="question" aria-label="Your question">${escapeHtml(question)}</div>`;
}
