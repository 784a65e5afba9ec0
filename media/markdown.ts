// A small markdown renderer for answers, safe by construction: the text is HTML-escaped FIRST, then formatting
// inserts only fixed tags. No raw HTML survives, links never get an href (the webview script handles clicks and
// the extension re-checks the target), and only http(s)/mailto links or workspace-relative paths become links.
// Pure string in, string out: no DOM, so node tests can run it.

export interface MarkdownOptions {
  /** Number of citations the answer has: `[n]` markers up to this become clickable source references. */
  citationCount?: number;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, ch => ESC[ch]);
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '');
}

/** What a markdown link may point at: an external web/mail address, a workspace file, or nothing (rendered as text). */
export type LinkTarget = { kind: 'external'; href: string } | { kind: 'file'; path: string; line?: number } | undefined;

export function classifyLink(rawHref: string): LinkTarget {
  // Browsers ignore control characters and whitespace inside schemes ("java\tscript:"): judge the squeezed form.
  const href = rawHref.trim();
  const squeezed = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  if (/^https?:\/\/[^/]/.test(squeezed) || /^mailto:[^/]/.test(squeezed)) return /[\s<>"'`]/.test(href) ? undefined : { kind: 'external', href };
  if (/^[a-z][a-z0-9+.-]*:/.test(squeezed) || squeezed.startsWith('//') || squeezed.startsWith('\\\\')) return undefined;
  const m = /^([^#?]+?)(?:#L(\d+)(?:-L?\d+)?)?$/.exec(href);
  if (!m || m[1].split(/[\\/]/).includes('..') || /[<>"'`]/.test(m[1])) return undefined;
  return { kind: 'file', path: m[1].replace(/^\.?\//, ''), ...(m[2] ? { line: Number(m[2]) } : {}) };
}

export function renderMarkdown(markdown: string, opts: MarkdownOptions = {}): string {
  const lines = markdown.replace(/\u0000/g, '').replace(/\r\n?/g, '\n').split('\n');
  return renderBlocks(lines, opts, { codeIndex: 0 });
}

interface Counter { codeIndex: number }

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const ITEM = /^( *)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function renderBlocks(lines: string[], opts: MarkdownOptions, counter: Counter): string {
  const out: string[] = [];
  let para: string[] = [];
  const flush = () => { if (para.length) out.push(`<p>${inline(para.join('\n'), opts)}</p>`); para = []; };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        if (lines[i].trim().startsWith(fence[1]) && lines[i].trim().replace(/[`~]/g, '') === '') { closed = true; break; }
        body.push(lines[i]);
      }
      out.push(codeBlock(body.join('\n'), fence[2], counter.codeIndex++, !closed));
      continue;
    }
    if (!line.trim()) { flush(); continue; }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, heading[1].length + 2); // chat-sized: # → h3
      out.push(`<h${level}>${inline(heading[2], opts)}</h${level}>`);
      continue;
    }
    if (RULE.test(line)) { flush(); out.push('<hr>'); continue; }
    if (QUOTE.test(line)) {
      flush();
      const inner: string[] = [];
      for (; i < lines.length && QUOTE.test(lines[i]); i++) inner.push(QUOTE.exec(lines[i])![1]);
      i--;
      out.push(`<blockquote>${renderBlocks(inner, opts, counter)}</blockquote>`);
      continue;
    }
    if (ITEM.test(line) && (para.length === 0 || ITEM.exec(line)![1].length === 0)) {
      flush();
      i = list(lines, i, opts, counter, out) - 1;
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      flush();
      i = table(lines, i, opts, out) - 1;
      continue;
    }
    para.push(line.trim());
  }
  flush();
  return out.join('');
}

/** Renders the list starting at `start`; returns the index of the first line after it. */
function list(lines: string[], start: number, opts: MarkdownOptions, counter: Counter, out: string[]): number {
  const first = ITEM.exec(lines[start])!;
  const indent = first[1].length;
  const ordered = /\d/.test(first[2]);
  const items: string[][] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const m = ITEM.exec(line);
    if (m && m[1].length <= indent + 1 && /\d/.test(m[2]) === ordered) { items.push([m[3]]); continue; }
    if (m && m[1].length <= indent + 1) break; // a different kind of list starts
    if (!line.trim()) {
      const next = lines[i + 1];
      if (next !== undefined && (/^\s{2,}\S/.test(next) && !ITEM.test(next.trimStart()) || (ITEM.exec(next)?.[1].length ?? -1) > indent)) { items[items.length - 1].push(''); continue; }
      break;
    }
    if (/^\s+\S/.test(line) || !FENCE.test(line) && !HEADING.test(line) && !QUOTE.test(line) && items.length && items[items.length - 1].at(-1) !== '') {
      items[items.length - 1].push(line.replace(new RegExp(`^ {0,${indent + 4}}`), ''));
      continue;
    }
    break;
  }
  const startNum = ordered ? Number(first[2].slice(0, -1)) : 1;
  const tag = ordered ? 'ol' : 'ul';
  const attr = ordered && startNum !== 1 ? ` start="${startNum}"` : '';
  const body = items.map(it => {
    const html = renderBlocks(it, opts, counter);
    // A one-paragraph item shows without the <p> margin.
    return `<li>${/^<p>(?:(?!<p>).)*<\/p>$/s.test(html) ? html.slice(3, -4) : html}</li>`;
  }).join('');
  out.push(`<${tag}${attr}>${body}</${tag}>`);
  return i;
}

function table(lines: string[], start: number, opts: MarkdownOptions, out: string[]): number {
  const cells = (l: string) => l.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map(c => c.trim().replace(/\\\|/g, '|'));
  const aligns = cells(lines[start + 1]).map(c => (c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : ''));
  const head = cells(lines[start]);
  // Classes, not style attributes: the webview's CSP allows no inline styles.
  const cell = (tag: string, text: string, k: number) => `<${tag}${aligns[k] ? ` class="align-${aligns[k]}"` : ''}>${inline(text, opts)}</${tag}>`;
  const rows: string[] = [];
  let i = start + 2;
  for (; i < lines.length && lines[i].includes('|') && lines[i].trim(); i++) {
    const row = cells(lines[i]);
    rows.push(`<tr>${head.map((_, k) => cell('td', row[k] ?? '', k)).join('')}</tr>`);
  }
  out.push(`<div class="table-wrap"><table><thead><tr>${head.map((h, k) => cell('th', h, k)).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`);
  return i;
}

function codeBlock(code: string, lang: string, index: number, streaming: boolean): string {
  const language = lang.replace(/[^\w+#.-]/g, '').slice(0, 30).toLowerCase();
  const label = escapeHtml(language || 'code');
  const button = (action: string, text: string, aria: string) =>
    `<button type="button" class="code-action" data-code-action="${action}" data-code-index="${index}" aria-label="${aria}">${text}</button>`;
  return `<div class="code-block${streaming ? ' streaming' : ''}" data-code-index="${index}" data-lang="${escapeHtml(language)}">`
    + `<div class="code-toolbar" role="toolbar" aria-label="${label} code block actions"><span class="code-lang">${label}</span>`
    + button('copy', 'Copy', 'Copy code') + button('insert', 'Insert', 'Insert code at the cursor')
    + button('openSql', 'Open as SQL', 'Open code in a new SQL editor')
    + `</div><pre><code>${escapeHtml(code)}</code></pre></div>`;
}

/** Inline formatting over escaped text. Code spans and links are cut out first so nothing formats inside them. */
export function inline(text: string, opts: MarkdownOptions = {}): string {
  const slots: string[] = [];
  const keep = (html: string) => `\u0000${slots.push(html) - 1}\u0000`;
  let s = escapeHtml(text.replace(/\u0000/g, ''));
  s = s.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_m, _t, code: string) => keep(`<code>${code.trim()}</code>`));
  // Link targets may hold one level of parentheses: (https://en.wikipedia.org/wiki/Foo_(bar)).
  s = s.replace(/\[([^\]\n]+)\]\(\s*((?:[^()\s]|\([^()\s]*\))+)(?:\s+&quot;[^\n]*?&quot;)?\s*\)/g, (_m, label: string, url: string) => keep(link(label, unescapeHtml(url), opts)));
  s = s.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>').replace(/(^|\W)__(?=\S)([\s\S]*?\S)__(?=\W|$)/g, '$1<strong>$2</strong>');
  s = s.replace(/(^|[^*\w])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![*\w])/g, '$1<em>$2</em>').replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<em>$2</em>');
  s = s.replace(/~~(?=\S)([\s\S]*?\S)~~/g, '<del>$1</del>');
  if (opts.citationCount) s = citationMarkers(s, opts.citationCount);
  s = s.replace(/ {2,}\n/g, '<br>').replace(/\n/g, ' ');
  return s.replace(/\u0000(\d+)\u0000/g, (_m, n: string) => slots[Number(n)]);
}

function link(label: string, url: string, opts: MarkdownOptions): string {
  const text = inline(unescapeHtml(label), { ...opts, citationCount: 0 });
  const target = classifyLink(url);
  if (!target) return `<span class="link-blocked" title="link removed: not a web or workspace address">${text}</span>`;
  if (target.kind === 'external') {
    return `<a class="link-external" role="link" tabindex="0" data-href="${escapeHtml(target.href)}" title="${escapeHtml(target.href)}">${text}</a>`;
  }
  const line = target.line ? ` data-line="${target.line}"` : '';
  return `<a class="link-file" role="link" tabindex="0" data-path="${escapeHtml(target.path)}"${line} title="${escapeHtml(target.path)}">${text}</a>`;
}

/** `[2]` or `[1, 3]` → buttons that open the cited source. */
function citationMarkers(s: string, count: number): string {
  return s.replace(/\[(\d+(?:\s*,\s*\d+)*)\](?!\()/g, (m, nums: string) => {
    const ns = nums.split(',').map(n => Number(n.trim()));
    if (!ns.every(n => n >= 1 && n <= count)) return m;
    return ns.map(n => `<button type="button" class="cite-ref" data-cite="${n - 1}" aria-label="Open source ${n}">${n}</button>`).join('');
  });
}
