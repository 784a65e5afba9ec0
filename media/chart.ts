// A simple chart for a query result when its shape fits: one category or time column plus numeric columns →
// bars (categories) or lines (time). Drawn as an inline SVG string from escaped text and classed elements (the CSP
// allows no inline styles; colours come from the theme in chat.css). Pure: no DOM, no library, nothing remote.
import type { QueryResult } from '../src/extension/protocol';
import { escapeHtml } from './markdown';
import { cellText, compareCells, isNumericColumn, numericValue } from './resultTable';

export interface ChartSpec {
  kind: 'bar' | 'line';
  /** The category/time column. */
  x: { index: number; name: string };
  series: { index: number; name: string }[];
  /** Category labels and one value per series (null where the cell is empty), in drawing order. */
  points: { label: string; values: (number | null)[] }[];
}

const MAX_BARS = 50;
const MAX_POINTS = 1000;
const MAX_SERIES = 4;
const TIME_TYPE = /^(date|time|timestamp|datetime)/i;
const ISO_DATE = /^\d{4}-\d\d(-\d\d)?([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d(:?\d\d)?)?$/;
const TIME_NAME = /(^|_)(year|quarter|month|week|day|date|hour|period)$/i;
const ID_NAME = /(^|_)(id|key|sk|pk|code)$/i;

/** The chart that fits the result, or undefined when its shape does not (no numbers, several category columns…). */
export function detectChart(result: Pick<QueryResult, 'columns' | 'rows'>): ChartSpec | undefined {
  const { columns, rows } = result;
  if (rows.length < 2 || columns.length < 2) return undefined;
  // Numeric identifiers (customer_id) and year-like integers are labels, not quantities.
  const numeric = columns.map((c, k) => isNumericColumn(result, k) && !ID_NAME.test(c.name) && !(k === 0 && TIME_NAME.test(c.name)));
  const dims = columns.map((_, k) => k).filter(k => !numeric[k]);
  const measures = columns.map((_, k) => k).filter(k => numeric[k]);
  if (dims.length !== 1 || !measures.length) return undefined;
  const x = dims[0];
  const time = isTimeColumn(result, x);
  const kind = time && rows.length >= 3 ? 'line' : 'bar';
  if (rows.length > (kind === 'bar' ? MAX_BARS : MAX_POINTS)) return undefined;
  const series = measures.slice(0, MAX_SERIES).map(index => ({ index, name: columns[index].name }));
  const ordered = kind === 'line' ? [...rows].sort((a, b) => compareCells(a[x], b[x])) : rows;
  const points = ordered.map(r => ({ label: cellText(r[x]) || 'NULL', values: series.map(s => numericValue(r[s.index]) ?? null) }));
  if (points.every(p => p.values.every(v => v === null))) return undefined;
  return { kind, x: { index: x, name: columns[x].name }, series, points };
}

function isTimeColumn(result: Pick<QueryResult, 'columns' | 'rows'>, k: number): boolean {
  const c = result.columns[k];
  if (TIME_TYPE.test(c.type)) return true;
  if (TIME_NAME.test(c.name)) return true;
  const values = result.rows.map(r => r[k]).filter(v => v !== null && v !== undefined);
  return values.length > 0 && values.every(v => typeof v === 'string' && ISO_DATE.test(v));
}

/** 1234567 → "1.2M"; small values keep two decimals at most. */
export function compactNumber(n: number): string {
  const a = Math.abs(n);
  const unit = a >= 1e12 ? [1e12, 'T'] : a >= 1e9 ? [1e9, 'B'] : a >= 1e6 ? [1e6, 'M'] : a >= 1e4 ? [1e3, 'k'] : undefined;
  if (unit) return `${+(n / (unit[0] as number)).toFixed(1)}${unit[1]}`;
  return `${+n.toFixed(a >= 100 ? 0 : 2)}`;
}

/** About `count` round tick values covering [min, max]. */
function ticks(min: number, max: number, count = 4): number[] {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) out.push(+v.toFixed(10));
  if (out[out.length - 1] < max) out.push(out[out.length - 1] + step);
  return out;
}

const R = 10, T = 24;

/**
 * The chart as an SVG element string, with a tooltip per bar or point and a legend. `width` is the space the view
 * has (the webview measures it), so text keeps its size instead of shrinking with the drawing. Bars run
 * horizontally, so category labels stay readable in a narrow sidebar; time runs left to right as a line.
 */
export function renderChart(spec: ChartSpec, width = 420): string {
  const W = Math.round(Math.max(200, Math.min(900, width)));
  const drawn = spec.kind === 'bar' ? horizontalBars(spec, W) : lineChart(spec, W);
  const what = `${spec.kind === 'bar' ? 'Bar' : 'Line'} chart of ${spec.series.map(s => s.name).join(', ')} by ${spec.x.name}`;
  return `<svg class="chart" role="img" aria-label="${escapeHtml(what)}" viewBox="0 0 ${W} ${drawn.height}" xmlns="http://www.w3.org/2000/svg">`
    + `<title>${escapeHtml(what)}</title>${drawn.parts.join('')}${legend(spec, W).join('')}</svg>`;
}

/** The value axis: round ticks from min(0, values) to max(0, values), mapped onto [from, to] pixels. */
function valueScale(spec: ChartSpec, from: number, to: number, spacing: number) {
  const values = spec.points.flatMap(p => p.values).filter((v): v is number => v !== null);
  // A tick label every `spacing` px along the axis at most (labels are wider than tall).
  const t = ticks(Math.min(0, ...values), Math.max(0, ...values), Math.max(2, Math.min(5, Math.floor(Math.abs(to - from) / spacing))));
  const lo = t[0], hi = t[t.length - 1];
  const at = (v: number) => from + ((v - lo) / (hi - lo || 1)) * (to - from);
  return { ticks: t, at, zero: at(Math.max(lo, Math.min(0, hi))) };
}

function horizontalBars(spec: ChartSpec, W: number): { height: number; parts: string[] } {
  const k = spec.series.length;
  const barH = k === 1 ? 14 : 8;
  const band = barH * k + 6;
  const labelChars = Math.min(18, Math.max(...spec.points.map(p => p.label.length)));
  const CHAR = 6.8; // average width of an 11px UI-font character
  const L = Math.round(Math.min(W * 0.42, labelChars * CHAR + 12));
  const fits = Math.max(4, Math.floor((L - 8) / CHAR));
  const top = T + 4, height = top + spec.points.length * band + 20;
  const x = valueScale(spec, L, W - R, 55);
  const bottom = top + spec.points.length * band;
  const parts: string[] = [];
  for (const [i, t] of x.ticks.entries()) {
    parts.push(`<line class="chart-grid" x1="${f(x.at(t))}" x2="${f(x.at(t))}" y1="${top}" y2="${bottom}"/>`);
    // The last tick's label ends at the edge instead of being cut by it.
    const anchor = i === x.ticks.length - 1 ? 'end' : 'middle';
    if (!(i === 0 && t === 0)) parts.push(`<text class="chart-tick" x="${f(x.at(t))}" y="${bottom + 13}" text-anchor="${anchor}">${escapeHtml(compactNumber(t))}</text>`);
  }
  parts.push(`<line class="chart-axis" x1="${f(x.zero)}" x2="${f(x.zero)}" y1="${top}" y2="${bottom}"/>`);
  spec.points.forEach((p, i) => {
    const y = top + i * band + 3;
    parts.push(`<text class="chart-label" x="${L - 5}" y="${f(y + (band - 6) / 2 + 4)}" text-anchor="end">${escapeHtml(shorten(p.label, fits))}</text>`);
    p.values.forEach((v, s) => {
      if (v === null) return;
      const x0 = Math.min(x.at(v), x.zero), w = Math.abs(x.at(v) - x.zero);
      parts.push(`<rect class="chart-series-${s}" x="${f(x0)}" y="${f(y + s * barH)}" width="${f(Math.max(0.5, w))}" height="${barH - 1}">`
        + `<title>${escapeHtml(`${p.label} · ${spec.series[s].name}: ${v}`)}</title></rect>`);
    });
  });
  parts.push(`<text class="chart-label chart-x-name" x="${L - 5}" y="${bottom + 13}" text-anchor="end">${escapeHtml(shorten(spec.x.name, fits))}</text>`);
  return { height, parts };
}

function lineChart(spec: ChartSpec, W: number): { height: number; parts: string[] } {
  const L = 44, B = 40;
  const H = Math.round(Math.max(170, Math.min(280, W * 0.55)));
  const plotW = W - L - R;
  const y = valueScale(spec, H - B, T, 28);
  const n = spec.points.length;
  const xOf = (i: number) => L + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const parts: string[] = [];
  for (const t of y.ticks) {
    parts.push(`<line class="chart-grid" x1="${L}" x2="${W - R}" y1="${f(y.at(t))}" y2="${f(y.at(t))}"/>`);
    parts.push(`<text class="chart-tick" x="${L - 4}" y="${f(y.at(t) + 3)}" text-anchor="end">${escapeHtml(compactNumber(t))}</text>`);
  }
  parts.push(`<line class="chart-axis" x1="${L}" x2="${W - R}" y1="${f(y.zero)}" y2="${f(y.zero)}"/>`);
  const labelChars = Math.min(12, Math.max(...spec.points.map(p => p.label.length)));
  const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(plotW / (labelChars * 6 + 12)))));
  spec.points.forEach((p, i) => {
    if (i % every === 0) parts.push(`<text class="chart-label" x="${f(xOf(i))}" y="${H - B + 14}" text-anchor="middle">${escapeHtml(shorten(p.label))}</text>`);
  });
  parts.push(`<text class="chart-label chart-x-name" x="${L + plotW / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(shorten(spec.x.name, 40))}</text>`);
  for (const [s, series] of spec.series.entries()) {
    const pts = spec.points.map((p, i) => (p.values[s] === null ? undefined : { x: xOf(i), y: y.at(p.values[s]!), p }));
    parts.push(`<polyline class="chart-line chart-stroke-${s}" points="${pts.filter(Boolean).map(q => `${f(q!.x)},${f(q!.y)}`).join(' ')}"/>`);
    if (n <= 60) {
      for (const q of pts) if (q) parts.push(`<circle class="chart-series-${s}" cx="${f(q.x)}" cy="${f(q.y)}" r="2.5"><title>${escapeHtml(`${q.p.label} · ${series.name}: ${q.p.values[s]}`)}</title></circle>`);
    }
  }
  return { height: H, parts };
}

function legend(spec: ChartSpec, width: number): string[] {
  let x = 44;
  return spec.series.map((s, i) => {
    if (x > width - 40) return '';
    const label = shorten(s.name, 24);
    const item = `<rect class="chart-series-${i}" x="${x}" y="6" width="10" height="10"/><text class="chart-label" x="${x + 14}" y="15">${escapeHtml(label)}</text>`;
    x += 24 + label.length * 6;
    return item;
  });
}

function shorten(s: string, max = 12): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function f(n: number): string {
  return String(Math.round(n * 10) / 10);
}
