// HTML for the analytics agent's work: one collapsible block per tool call (name, arguments, SQL, result summary;
// refusals and declined queries in a warning style), the inline "Run query / Cancel" prompt, and SQL blocks.
// Built only from escaped text. Pure: no DOM.
import type { QueryConfirmation, ToolStep } from '../src/extension/protocol';
import { escapeHtml } from './markdown';
import { highlightSql } from './sqlHighlight';

const STATUS: Record<ToolStep['status'], { icon: string; label: string }> = {
  running: { icon: '…', label: 'running' },
  awaiting: { icon: '?', label: 'waiting for your approval' },
  ok: { icon: '✓', label: 'done' },
  error: { icon: '✗', label: 'failed' },
  refused: { icon: '⚠', label: 'refused' },
  declined: { icon: '⊘', label: 'declined by you' },
  stopped: { icon: '■', label: 'stopped before it ran' },
};

/** A SQL block with the chat's code actions (Copy / Insert / Open as SQL), coloured. */
export function renderSqlBlock(sql: string, label = 'sql'): string {
  const button = (action: string, text: string, aria: string) =>
    `<button type="button" class="code-action" data-code-action="${action}" aria-label="${aria}">${text}</button>`;
  return `<div class="code-block sql-block" data-lang="sql"><div class="code-toolbar" role="toolbar" aria-label="${escapeHtml(label)} actions">`
    + `<span class="code-lang">${escapeHtml(label)}</span>${button('copy', 'Copy', 'Copy SQL')}${button('insert', 'Insert', 'Insert SQL at the cursor')}`
    + `${button('openSql', 'Open as SQL', 'Open SQL in a new editor')}</div><pre><code class="language-sql">${highlightSql(sql)}</code></pre></div>`;
}

function argsText(step: ToolStep): string {
  const args = { ...step.args };
  // The SQL shows in its own block.
  if (step.sql) for (const k of Object.keys(args)) if (args[k] === step.sql) delete args[k];
  const keys = Object.keys(args);
  return keys.length ? JSON.stringify(args, null, 2) : '';
}

/** One tool call; `open` keeps a block the user expanded expanded across re-renders. */
export function renderStep(step: ToolStep, open = false): string {
  const s = STATUS[step.status];
  const warn = step.status === 'refused' || step.status === 'declined' || step.status === 'stopped' || step.status === 'error';
  const meta = step.rowCount !== undefined ? `${step.rowCount} row${step.rowCount === 1 ? '' : 's'}${step.elapsedMs !== undefined ? ` · ${Math.round(step.elapsedMs)} ms` : ''}` : '';
  const headline = step.status === 'ok' ? (meta || step.summary || s.label) : s.label;
  const args = argsText(step);
  const body = [
    args ? `<div class="step-label">Arguments</div><pre class="step-args"><code>${escapeHtml(args)}</code></pre>` : '',
    step.sql ? renderSqlBlock(step.sql) : '',
    // A refusal or decline says it in its detail; the agent's summary would repeat it.
    step.summary && !(step.detail && (step.status === 'refused' || step.status === 'declined' || step.status === 'stopped')) ? `<p class="step-summary">${escapeHtml(step.summary)}</p>` : '',
    step.detail ? `<p class="step-detail${warn ? ' warning' : ''}">${escapeHtml(step.detail)}</p>` : '',
  ].join('');
  return `<details class="step step-${step.status}" data-step-id="${escapeHtml(step.id)}"${open ? ' open' : ''}>`
    + `<summary aria-label="${escapeHtml(`Tool ${step.name}: ${s.label}`)}"><span class="step-icon" aria-hidden="true">${s.icon}</span>`
    + `<span class="step-name">${escapeHtml(step.name)}</span><span class="step-headline">${escapeHtml(headline)}</span></summary>`
    + `<div class="step-body">${body || '<p class="note">No arguments.</p>'}</div></details>`;
}

export function renderSteps(steps: ToolStep[] | undefined, open: ReadonlySet<string> = new Set()): string {
  if (!steps?.length) return '';
  return `<div class="steps" aria-label="Tool calls">${steps.map(s => renderStep(s, open.has(s.id))).join('')}</div>`;
}

/** The inline approval prompt for a model-proposed query. */
export function renderConfirm(c: QueryConfirmation): string {
  return `<div class="confirm" role="group" aria-label="Run this read-only query?" data-query-id="${escapeHtml(c.queryId)}">`
    + '<p class="confirm-text">The model wants to run this read-only query on the warehouse:</p>'
    + renderSqlBlock(c.sql, 'proposed sql')
    + '<div class="confirm-actions"><button type="button" class="primary" data-confirm="run">Run query</button>'
    + '<button type="button" data-confirm="cancel">Cancel</button></div></div>';
}
