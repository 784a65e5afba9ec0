// SQL syntax colouring for the chat: a small tokenizer (comments, strings, quoted identifiers, numbers, words)
// whose every token is HTML-escaped before it is wrapped in a fixed <span class>. Pure: no DOM.
import { escapeHtml } from './markdown';

const KEYWORDS = new Set(`
select from where group by order having limit offset qualify with recursive as on join inner left right full outer cross
natural using union all intersect except distinct and or not in is null like ilike between case when then else end
asc desc nulls first last over partition rows range preceding following current row window filter within lateral
values true false exists any some cast try_cast interval describe show insert update delete merge into set create drop
alter table view schema database truncate grant revoke copy attach detach install load pragma call export import put get
use begin commit rollback transaction replace temp temporary if returning top fetch next only pivot unpivot sample
`.trim().split(/\s+/));

const TOKEN = /(--[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?|`[^`]*`?)|(\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b)|([A-Za-z_][A-Za-z0-9_$]*)/gi;

/** `sql` as HTML: keywords, strings, numbers, comments and functions in classed spans; everything else escaped text. */
export function highlightSql(sql: string): string {
  let out = '';
  let last = 0;
  for (const m of sql.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    out += escapeHtml(sql.slice(last, at));
    last = at + m[0].length;
    const text = escapeHtml(m[0]);
    if (m[1]) out += `<span class="sql-comment">${text}</span>`;
    else if (m[2]) out += `<span class="sql-string">${text}</span>`;
    else if (m[3]) out += `<span class="sql-ident">${text}</span>`;
    else if (m[4]) out += `<span class="sql-number">${text}</span>`;
    else if (KEYWORDS.has(m[5].toLowerCase())) out += `<span class="sql-keyword">${text}</span>`;
    else if (/^\s*\(/.test(sql.slice(last))) out += `<span class="sql-function">${text}</span>`;
    else out += text;
  }
  return out + escapeHtml(sql.slice(last));
}
