// HTML for a query result: the chart (when the shape fits), a sortable grid with its row count and elapsed time, and
// Copy TSV / Export CSV buttons. Built only from escaped text; the webview script wires the clicks. Pure: no DOM.
import type { GridSort, QueryResult } from '../src/extension/protocol';
import { detectChart, renderChart } from './chart';
import { escapeHtml } from './markdown';
import { cellText, isNumericColumn, resultSummary, sortRows } from './resultTable';

/** Rows drawn in the grid; copy and export always use every row the query returned. */
export const MAX_GRID_ROWS = 1000;

/** The sortable table alone (re-rendered when a header is clicked). */
export function renderGridTable(result: QueryResult, sort?: GridSort): string {
  const numeric = result.columns.map((_, k) => isNumericColumn(result, k));
  const head = result.columns.map((c, k) => {
    const dir = sort?.column === k ? sort.dir : undefined;
    const aria = dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none';
    const mark = dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '';
    const next = dir === 'asc' ? 'descending' : dir === 'desc' ? 'the query\'s order' : 'ascending';
    return `<th scope="col" aria-sort="${aria}"${numeric[k] ? ' class="num"' : ''}><button type="button" class="grid-sort" data-sort-col="${k}"`
      + ` title="${escapeHtml(`${c.name} (${c.type}): sort ${next}`)}">${escapeHtml(c.name)}<span class="sort-mark" aria-hidden="true">${mark}</span></button></th>`;
  }).join('');
  const rows = sortRows(result.rows, sort).slice(0, MAX_GRID_ROWS).map(r => `<tr>${r.map((v, k) => cell(v, numeric[k])).join('')}</tr>`).join('');
  return `<table class="grid" aria-rowcount="${result.rows.length + 1}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function cell(v: unknown, numeric: boolean): string {
  if (v === null || v === undefined) return '<td class="null">NULL</td>';
  return `<td${numeric ? ' class="num"' : ''}>${escapeHtml(cellText(v))}</td>`;
}

/** Chart, toolbar and grid of a result. */
export function renderResult(result: QueryResult, sort?: GridSort, chartWidth?: number): string {
  const chart = detectChart(result);
  const more = result.rows.length > MAX_GRID_ROWS ? ` · first ${MAX_GRID_ROWS} shown, copy or export for all` : '';
  const toolbar = `<div class="result-toolbar" role="toolbar" aria-label="Result actions">`
    + `<span class="result-summary">${escapeHtml(resultSummary(result) + more)}</span>`
    + '<button type="button" class="code-action" data-result-action="copyTsv" aria-label="Copy the rows as tab-separated text">Copy TSV</button>'
    + '<button type="button" class="code-action" data-result-action="exportCsv" aria-label="Export the rows to a CSV file">Export CSV</button></div>';
  const empty = result.rows.length ? '' : '<p class="note">The query returned no rows.</p>';
  return `<section class="result" aria-label="Query result">${chart ? `<div class="chart-wrap">${renderChart(chart, chartWidth)}</div>` : ''}${toolbar}${empty}`
    + `<div class="grid-wrap">${renderGridTable(result, sort)}</div></section>`;
}
