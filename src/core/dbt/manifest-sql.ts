// Just enough SQL reading for manifest nodes: line counts and the names of top-level CTEs.

/** Lines of a text; a final newline does not start a new line; empty text is one line. */
export function lineCount(text: string | undefined): number {
  if (!text) return 1;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}

/** Blanks comments, string literals and Jinja, keeping offsets, so only SQL structure is left. */
function blankNoise(sql: string): string {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  return sql
    .replace(/\{#[\s\S]*?#\}/g, blank)
    .replace(/\{%[\s\S]*?%\}/g, blank)
    .replace(/\{\{[\s\S]*?\}\}/g, m => blank(m).replace(/^ /, 'x')) // an expression stands for a value
    .replace(/--[^\n]*/g, blank)
    .replace(/\/\*[\s\S]*?\*\//g, blank)
    .replace(/'(?:[^']|'')*'/g, blank);
}

const CTE = /(?:^|[\s,(])((?:[A-Za-z_][\w$]*)|"[^"]+"|`[^`]+`)\s*(?:\([^()]*\)\s*)?as\s+(?:not\s+)?(?:materialized\s+)?\(/gi;

/** Names of the CTEs of the outermost WITH clause(s), in order. */
export function cteNames(sql: string): string[] {
  const text = blankNoise(sql);
  const depthAt = new Int32Array(text.length + 1);
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    depthAt[i] = depth;
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth = Math.max(0, depth - 1);
  }
  const out: string[] = [];
  for (const m of text.matchAll(CTE)) {
    const nameAt = m.index! + m[0].indexOf(m[1]);
    if (depthAt[nameAt] !== 0) continue;
    const before = text.slice(0, nameAt).trimEnd();
    if (!/(\bwith|\brecursive|,)$/i.test(before)) continue;
    const name = m[1].replace(/^["`]|["`]$/g, '');
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
