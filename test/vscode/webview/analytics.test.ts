// The chat's analytics rendering: grid sorting, CSV/TSV text, chart shape detection, SQL colouring, tool-call
// blocks, and that warehouse data (cells, column names, SQL, tool arguments) always renders as inert text.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { detectChart, renderChart } from '../../../media/chart';
import { renderGridTable, renderResult } from '../../../media/grid';
import { renderAnswer } from '../../../media/render';
import { compareCells, delimitedField, nextSort, sortRows, toDelimited } from '../../../media/resultTable';
import { highlightSql } from '../../../media/sqlHighlight';
import { renderConfirm, renderStep } from '../../../media/steps';
import type { QueryResult } from '../../../src/extension/protocol';

const ALLOWED_TAGS = new Set(['p', 'div', 'section', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'button', 'pre', 'code', 'details', 'summary',
  'ul', 'li', 'strong', 'em', 'svg', 'title', 'line', 'text', 'rect', 'polyline', 'circle']);
const ALLOWED_ATTRS = new Set(['class', 'role', 'title', 'type', 'aria-label', 'aria-sort', 'aria-rowcount', 'aria-hidden', 'scope', 'open',
  'data-cite', 'data-code-action', 'data-lang', 'data-sort-col', 'data-result-action', 'data-step-id', 'data-query-id', 'data-confirm',
  'viewbox', 'xmlns', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'points', 'text-anchor']);

/** Fails on any tag or attribute outside the allowed sets (so no href, src, style or on* handler can appear). */
function assertOnlySafeHtml(html: string): void {
  for (const m of html.matchAll(/<\/?([a-zA-Z0-9]+)([^>]*)>/g)) {
    assert.ok(ALLOWED_TAGS.has(m[1].toLowerCase()), `unexpected tag <${m[1]}> in ${html.slice(0, 300)}`);
    for (const a of m[2].matchAll(/\s([^\s=/]+)(?:="[^"]*")?/g)) assert.ok(ALLOWED_ATTRS.has(a[1].toLowerCase()), `unexpected attribute ${a[1]} in ${m[0]}`);
  }
}

function result(columns: [string, string][], rows: unknown[][], extra: Partial<QueryResult> = {}): QueryResult {
  return { columns: columns.map(([name, type]) => ({ name, type })), rows, truncated: false, elapsedMs: 12, sql: 'select 1', ...extra };
}

/** The first column's cells as the grid draws them, top to bottom. */
function firstColumn(html: string): string[] {
  return [...html.matchAll(/<tr><td[^>]*>([^<]*)<\/td>/g)].map(m => m[1]);
}

describe('result grid sorting', () => {
  test('numbers sort numerically (also numeric text), NULLs stay last in both directions, ties keep the query order', () => {
    const rows = [[10, 'a'], [null, 'b'], ['9.5', 'c'], [-3, 'd'], [10, 'e']];
    assert.deepEqual(sortRows(rows, { column: 0, dir: 'asc' }).map(r => r[1]), ['d', 'c', 'a', 'e', 'b']);
    assert.deepEqual(sortRows(rows, { column: 0, dir: 'desc' }).map(r => r[1]), ['a', 'e', 'c', 'd', 'b']);
    assert.deepEqual(sortRows(rows, undefined), rows, 'no sort: the query order');
  });

  test('text sorts naturally and case-insensitively; dates in ISO form sort in time order', () => {
    assert.ok(compareCells('item2', 'item10') < 0);
    assert.ok(compareCells('apple', 'Banana') < 0);
    const dates = [['2024-03-01'], ['2023-12-31'], ['2024-01-15']];
    assert.deepEqual(sortRows(dates, { column: 0, dir: 'asc' }).map(r => r[0]), ['2023-12-31', '2024-01-15', '2024-03-01']);
  });

  test('a header click cycles ascending → descending → query order, and another column starts ascending', () => {
    assert.deepEqual(nextSort(undefined, 2), { column: 2, dir: 'asc' });
    assert.deepEqual(nextSort({ column: 2, dir: 'asc' }, 2), { column: 2, dir: 'desc' });
    assert.equal(nextSort({ column: 2, dir: 'desc' }, 2), undefined);
    assert.deepEqual(nextSort({ column: 2, dir: 'desc' }, 0), { column: 0, dir: 'asc' });
  });

  test('the rendered grid shows rows in the sorted order and marks the sorted header', () => {
    const r = result([['product', 'VARCHAR'], ['revenue', 'DECIMAL(18,2)']], [['b', 5], ['a', 20], ['c', 1]]);
    const html = renderGridTable(r, { column: 1, dir: 'desc' });
    assert.deepEqual(firstColumn(html), ['a', 'b', 'c']);
    assert.match(html, /aria-sort="descending" class="num"><button type="button" class="grid-sort" data-sort-col="1"/);
    assert.match(html, /aria-sort="none"><button type="button" class="grid-sort" data-sort-col="0"/);
    assert.deepEqual(firstColumn(renderGridTable(r)), ['b', 'a', 'c']);
  });

  test('the result section says how many rows, whether the limit cut them, and how long it took', () => {
    const html = renderResult(result([['n', 'INTEGER']], [[1], [2]], { truncated: true, elapsedMs: 1234 }));
    assert.match(html, /2 rows \(row limit reached: more exist\) · 1\.2 s/);
    assert.match(html, /data-result-action="copyTsv"/);
    assert.match(html, /data-result-action="exportCsv"/);
    assert.match(renderResult(result([['n', 'INTEGER']], [])), /no rows/);
  });
});

describe('CSV and TSV text', () => {
  test('fields with separators, quotes or line breaks are quoted with doubled quotes; NULL is empty', () => {
    assert.equal(delimitedField('plain', ','), 'plain');
    assert.equal(delimitedField('a,b', ','), '"a,b"');
    assert.equal(delimitedField('a,b', '\t'), 'a,b');
    assert.equal(delimitedField('tab\there', '\t'), '"tab\there"');
    assert.equal(delimitedField('say "hi"', ','), '"say ""hi"""');
    assert.equal(delimitedField('two\nlines', ','), '"two\nlines"');
    assert.equal(delimitedField(null, ','), '');
    assert.equal(delimitedField(3.5, ','), '3.5');
    assert.equal(delimitedField({ a: 1, b: 'x,y' }, ','), '"{""a"":1,""b"":""x,y""}"');
  });

  test('text a spreadsheet would run as a formula is neutralised; negative numbers are not', () => {
    assert.equal(delimitedField('=HYPERLINK("http://evil")', ','), '"\'=HYPERLINK(""http://evil"")"');
    assert.equal(delimitedField('@SUM(A1)', '\t'), "'@SUM(A1)");
    assert.equal(delimitedField('-12.5', ','), '-12.5');
    assert.equal(delimitedField(-12.5, ','), '-12.5');
  });

  test('a whole result: header, rows in the grid\'s sort order, CRLF line ends', () => {
    const r = result([['name', 'VARCHAR'], ['note', 'VARCHAR']], [['b', 'x'], ['a', 'has, comma']]);
    assert.equal(toDelimited(r, ','), 'name,note\r\nb,x\r\na,"has, comma"\r\n');
    assert.equal(toDelimited(r, '\t', { column: 0, dir: 'asc' }), 'name\tnote\r\na\thas, comma\r\nb\tx\r\n');
  });
});

describe('chart shape detection', () => {
  test('one category column and numeric columns → bars in query order', () => {
    const spec = detectChart(result([['channel', 'VARCHAR'], ['orders', 'BIGINT'], ['revenue', 'DOUBLE']], [['web', 10, 100.5], ['store', 4, 50], ['app', 7, null]]));
    assert.ok(spec);
    assert.equal(spec.kind, 'bar');
    assert.equal(spec.x.name, 'channel');
    assert.deepEqual(spec.series.map(s => s.name), ['orders', 'revenue']);
    assert.deepEqual(spec.points.map(p => p.label), ['web', 'store', 'app']);
    assert.deepEqual(spec.points[2].values, [7, null]);
    const svg = renderChart(spec);
    assert.equal((svg.match(/<rect class="chart-series-\d" x=/g) ?? []).length, 5 + 2, 'five bars (one NULL skipped) and two legend keys');
  });

  test('a time column → a line sorted by time, also when dates come as ISO text or numeric text', () => {
    const spec = detectChart(result([['month', 'DATE'], ['revenue', 'DECIMAL(18,2)']], [['2024-03-01', '30.5'], ['2024-01-01', '10'], ['2024-02-01', '20']]));
    assert.ok(spec);
    assert.equal(spec.kind, 'line');
    assert.deepEqual(spec.points.map(p => p.label), ['2024-01-01', '2024-02-01', '2024-03-01']);
    assert.deepEqual(spec.points.map(p => p.values[0]), [10, 20, 30.5]);
    assert.match(renderChart(spec), /<polyline class="chart-line chart-stroke-0" points="[\d., ]+"/);
    const untyped = detectChart(result([['d', ''], ['n', '']], [['2024-01-01T00:00:00', 1], ['2024-01-02T00:00:00', 2], ['2024-01-03T00:00:00', 3]]));
    assert.equal(untyped?.kind, 'line');
  });

  test('shapes that do not fit get no chart', () => {
    assert.equal(detectChart(result([['a', 'VARCHAR'], ['b', 'VARCHAR'], ['n', 'INTEGER']], [['x', 'y', 1], ['z', 'w', 2]])), undefined, 'two category columns');
    assert.equal(detectChart(result([['a', 'VARCHAR'], ['b', 'VARCHAR']], [['x', 'y'], ['z', 'w']])), undefined, 'no numbers');
    assert.equal(detectChart(result([['name', 'VARCHAR'], ['n', 'INTEGER']], [['x', 1]])), undefined, 'one row');
    assert.equal(detectChart(result([['n', 'INTEGER'], ['m', 'INTEGER']], [[1, 2], [3, 4]])), undefined, 'numbers only: no category');
    const many = Array.from({ length: 80 }, (_, i) => [`c${i}`, i]);
    assert.equal(detectChart(result([['c', 'VARCHAR'], ['n', 'INTEGER']], many)), undefined, 'too many bars to read');
    assert.equal(detectChart(result([['name', 'VARCHAR'], ['n', 'INTEGER']], [['x', null], ['y', null]])), undefined, 'only NULLs');
  });

  test('numeric identifiers are labels, not quantities', () => {
    const spec = detectChart(result([['customer_id', 'INTEGER'], ['lifetime_value', 'DOUBLE']], [[1, 10], [2, 30]]));
    assert.ok(spec);
    assert.equal(spec.x.name, 'customer_id');
    assert.deepEqual(spec.series.map(s => s.name), ['lifetime_value']);
  });
});

describe('analytics rendering is inert', () => {
  const evil = ['<img src=x onerror=alert(1)>', 'javascript:alert(1)', '"><script>alert(1)</script>', "' onmouseover='alert(1)", '</td></tr></table><iframe src=//evil>'];

  test('cell values and column names holding HTML or javascript: render as text in the grid and the chart', () => {
    const r = result([['<b>name</b>', 'VARCHAR'], ['n" onclick="x', 'INTEGER']], evil.map((e, i) => [e, i]));
    const html = renderResult(r);
    assertOnlySafeHtml(html);
    assert.ok(!/<(img|script|iframe|b)\b/i.test(html));
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /<td>javascript:alert\(1\)<\/td>/, 'a javascript: value is plain cell text, not a link');
    assert.ok(html.includes('<svg'), 'the chart was drawn');
  });

  test('SQL, tool arguments, summaries and refusal reasons render as text', () => {
    const sql = "select '</code></pre><script>alert(1)</script>' as x -- <img src=x onerror=alert(1)>";
    const colored = highlightSql(sql);
    assert.ok(!colored.includes('<script') && !colored.includes('<img'));
    assert.match(colored, /<span class="sql-keyword">select<\/span>/);
    assert.match(colored, /<span class="sql-string">&#39;&lt;\/code&gt;/);
    assert.match(colored, /<span class="sql-comment">-- &lt;img/);
    const step = renderStep({ id: 'c1"><script>', name: 'execute_query<img>', args: { sql, note: evil[0] }, sql, status: 'refused', detail: `Refused: ${evil[2]}`, summary: evil[1] }, true);
    assertOnlySafeHtml(step);
    assert.ok(!/<(img|script)\b/i.test(step));
    assert.match(step, /class="step step-refused"/);
    assert.match(step, /class="step-detail warning"/);
    const confirm = renderConfirm({ queryId: 'q"1', sql });
    assertOnlySafeHtml(confirm);
    assert.match(confirm, /data-confirm="run">Run query/);
  });

  test('a query stopped while it waited for approval says so in a warning style, not as declined by the user', () => {
    const sql = 'select count(*) from marts.fct_orders';
    const step = renderStep({ id: 's1', name: 'execute_query', args: { sql }, sql, status: 'stopped', detail: 'Stopped before it ran.', summary: 'NOT RUN' });
    assertOnlySafeHtml(step);
    assert.match(step, /class="step step-stopped"/);
    assert.match(step, /<span class="step-headline">stopped before it ran<\/span>/);
    assert.match(step, /<p class="step-detail warning">Stopped before it ran\.<\/p>/);
    assert.ok(!step.includes('declined by you') && !step.includes('NOT RUN'));
  });

  test('a finished analytics answer shows its tool calls, the SQL used, the chart and the grid, and its chips', () => {
    const r = result([['month', 'DATE'], ['revenue', 'DOUBLE']], [['2024-01-01', 1], ['2024-02-01', 2], ['2024-03-01', 3]]);
    const html = renderAnswer({
      answer: 'Revenue grew [1].', mode: 'llm', followUps: [], citations: [{ path: 'models/monthly_revenue.sql', kind: 'model', startLine: 1 }],
      steps: [{ id: 'a', name: 'list_tables', args: {}, status: 'ok', summary: '12 tables' }, { id: 'b', name: 'execute_query', args: { sql: r.sql }, sql: r.sql, status: 'declined', detail: 'You declined this query.' }],
      sql: r.sql, result: r,
    });
    assertOnlySafeHtml(html);
    for (const want of [/class="steps"/, /step-declined/, /SQL used/, /<svg class="chart"/, /<table class="grid"/, /class="chip chip-file"/]) assert.match(html, want);
  });
});
