import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { classifyLink, renderMarkdown } from '../../../media/markdown';

/** Every tag the renderer may emit; anything else in the output would be raw HTML leaking through. */
const ALLOWED_TAGS = new Set(['p', 'h3', 'h4', 'h5', 'h6', 'hr', 'br', 'blockquote', 'ul', 'ol', 'li', 'div', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  'span', 'button', 'pre', 'code', 'strong', 'em', 'del', 'a']);
const ALLOWED_ATTRS = new Set(['class', 'role', 'tabindex', 'title', 'type', 'data-href', 'data-path', 'data-line', 'data-cite', 'data-code-action',
  'data-code-index', 'data-lang', 'aria-label', 'start']);

/** A tiny tag scanner: fails the test on any tag or attribute outside the allowed sets, or an href/src/on* attribute. */
function assertOnlySafeHtml(html: string): void {
  for (const m of html.matchAll(/<\/?([a-zA-Z0-9]+)([^>]*)>/g)) {
    assert.ok(ALLOWED_TAGS.has(m[1].toLowerCase()), `unexpected tag <${m[1]}> in ${html}`);
    for (const a of m[2].matchAll(/\s([^\s=]+)(?:="[^"]*")?/g)) {
      assert.ok(ALLOWED_ATTRS.has(a[1].toLowerCase()), `unexpected attribute ${a[1]} in ${m[0]}`);
    }
  }
}

describe('markdown sanitising', () => {
  test('a <script> element in an answer is rendered as text', () => {
    const html = renderMarkdown('Hello <script>alert("x")</script> world');
    assert.ok(!html.includes('<script'));
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    assertOnlySafeHtml(html);
  });

  test('event-handler attributes and raw tags stay inert text', () => {
    for (const evil of ['<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>', '<svg onload=alert(1)>', '<iframe src="https://evil.example"></iframe>']) {
      const html = renderMarkdown(evil);
      assert.ok(!/<(img|svg|iframe|a )/i.test(html), html);
      assert.ok(!/\son\w+=/i.test(html.replace(/&[a-z#0-9]+;/g, '')) || html.includes('&lt;'), html);
      assertOnlySafeHtml(html);
    }
  });

  test('javascript:, data: and vbscript: links lose their link, keep their text', () => {
    for (const url of ['javascript:alert(1)', 'javascript:alert(document.cookie)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:msgbox', '//evil.example/x']) {
      const html = renderMarkdown(`[click me](${url})`);
      assert.ok(!html.includes('data-href') && !html.includes('data-path'), `${url} → ${html}`);
      assert.match(html, /click me/);
      // Either the link became inert text, or (whitespace inside the target) it never parsed as a link at all.
      assert.ok(html.includes('link-blocked') ? !html.includes(')</p>') : html.includes('[click me]('), `leftover of the link target: ${html}`);
      assertOnlySafeHtml(html);
    }
  });

  test('quotes in a link target cannot break out of the attribute', () => {
    const html = renderMarkdown('[x](https://a.example/"onmouseover="alert(1))');
    assertOnlySafeHtml(html);
    assert.ok(!/onmouseover="/.test(html));
  });

  test('web links and workspace paths become handled links without href', () => {
    const html = renderMarkdown('see [docs](https://docs.getdbt.com/x?a=1&b=2) and [the model](models/marts/fct_orders.sql#L12)');
    assert.match(html, /<a class="link-external"[^>]*data-href="https:\/\/docs.getdbt.com\/x\?a=1&amp;b=2"/);
    assert.match(html, /<a class="link-file"[^>]*data-path="models\/marts\/fct_orders.sql" data-line="12"/);
    assert.ok(!/\shref=/.test(html));
  });

  test('paths escaping the workspace are not links', () => {
    assert.equal(classifyLink('../../etc/passwd'), undefined);
    assert.equal(classifyLink('file:///etc/passwd'), undefined);
    assert.deepEqual(classifyLink('./models/a.sql#L3-L9'), { kind: 'file', path: 'models/a.sql', line: 3 });
  });

  test('HTML inside code blocks and code spans is escaped, not executed', () => {
    const html = renderMarkdown('```sql\nselect \'<script>x</script>\' -- </code></pre><img src=x onerror=alert(1)>\n```\nand `<b>bold</b>`');
    assert.ok(!html.includes('<script') && !html.includes('<img') && !html.includes('<b>'));
    assert.match(html, /<pre><code>select &#39;&lt;script&gt;/);
    assert.match(html, /<code>&lt;b&gt;bold&lt;\/b&gt;<\/code>/);
    assertOnlySafeHtml(html);
  });
});

describe('markdown formatting', () => {
  test('code blocks carry copy / insert / open-as-SQL actions and their language', () => {
    const html = renderMarkdown('Try:\n\n```sql\nselect * from {{ ref("orders") }}\n```');
    assert.match(html, /<div class="code-block" data-code-index="0" data-lang="sql">/);
    for (const a of ['copy', 'insert', 'openSql']) assert.match(html, new RegExp(`data-code-action="${a}"`));
    assert.match(html, /select \* from \{\{ ref\(&quot;orders&quot;\) \}\}/);
  });

  test('an unterminated fence while streaming is still a code block', () => {
    const html = renderMarkdown('```sql\nselect 1');
    assert.match(html, /class="code-block streaming"/);
    assert.match(html, /<code>select 1<\/code>/);
  });

  test('headings, lists, emphasis, tables and quotes', () => {
    const html = renderMarkdown('# Title\n\n- **a** item\n- *b* and `c`\n\n1. one\n2. two\n\n| col | type |\n|---|:--:|\n| id | int |\n\n> quoted');
    assert.match(html, /<h3>Title<\/h3>/);
    assert.match(html, /<ul><li><strong>a<\/strong> item<\/li><li><em>b<\/em> and <code>c<\/code><\/li><\/ul>/);
    assert.match(html, /<ol><li>one<\/li><li>two<\/li><\/ol>/);
    assert.match(html, /<th>col<\/th><th class="align-center">type<\/th>/);
    assert.match(html, /<td>id<\/td>/);
    assert.match(html, /<blockquote><p>quoted<\/p><\/blockquote>/);
  });

  test('snake_case identifiers are not turned into emphasis', () => {
    const html = renderMarkdown('stg_shop__orders feeds fct_orders');
    assert.equal(html, '<p>stg_shop__orders feeds fct_orders</p>');
  });

  test('[n] markers become source buttons only for existing citations', () => {
    const html = renderMarkdown('fct_orders reads stg_orders [1] and payments [2, 3] [9]', { citationCount: 3 });
    assert.match(html, /<button type="button" class="cite-ref" data-cite="0"/);
    assert.match(html, /data-cite="1"[^>]*>2<\/button><button[^>]*data-cite="2"/);
    assert.match(html, /\[9\]/);
  });
});
