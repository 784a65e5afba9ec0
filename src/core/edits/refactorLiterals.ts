// Where `ref(...)` calls are written, down to the offsets of their string literals, so a rename
// replaces exactly the name and nothing around it. Works on Jinja tag text, Python (`dbt.ref`) and YAML scalars
// (including single-quoted YAML, where the inner quotes are doubled: 'ref(''x'')').
import type { RefCall } from '../types';
import { scanJinja, type JinjaTag } from '../dbt/jinja';

export interface Span {
  start: number;
  end: number;
}

export interface RefLiteral {
  kind: 'ref';
  call: RefCall;
  /** The whole call `ref(...)`. */
  span: Span;
  /** The model name inside its quotes. */
  name: Span;
  package?: Span;
}

const Q = `(''|'|")`;
// ref('name') | ref('pkg', 'name') | ref("name", v=2) | ref('name', version='2') | dbt.ref('name')
const REF = new RegExp(
  String.raw`\bref\s*\(\s*(?:${Q}([^'"\n]*?)\1\s*,\s*)?${Q}([^'"\n]*?)\3\s*(?:,\s*(?:v|version)\s*=\s*(''|'|")?([\w.-]+)\5?\s*)?\)`, 'g');

export function refLiteralsIn(text: string, from = 0, to = text.length): RefLiteral[] {
  const region = text.slice(from, to);
  const out: RefLiteral[] = [];
  REF.lastIndex = 0;
  for (let m = REF.exec(region); m; m = REF.exec(region)) {
    const open = m[0].indexOf('(') + 1;
    let cursor = open;
    let pkg: Span | undefined;
    if (m[2] !== undefined) {
      const q1 = m[0].indexOf(m[1], cursor);
      pkg = { start: from + m.index + q1 + m[1].length, end: from + m.index + q1 + m[1].length + m[2].length };
      cursor = q1 + m[1].length + m[2].length + m[1].length;
    }
    const q2 = m[0].indexOf(m[3], cursor);
    const name = { start: from + m.index + q2 + m[3].length, end: from + m.index + q2 + m[3].length + m[4].length };
    const call: RefCall = m[2] !== undefined ? { package: m[2], name: m[4] } : { name: m[4] };
    if (m[6] !== undefined) call.version = m[6];
    out.push({ kind: 'ref', call, span: { start: from + m.index, end: from + m.index + m[0].length }, name, package: pkg });
  }
  return out;
}

/** Jinja tags of a SQL file (comments and `{% raw %}` excluded, as dbt sees them). */
function jinjaTagsOf(text: string): JinjaTag[] {
  return scanJinja(text).tags;
}

/** ref() literals of a file by kind: inside Jinja tags for SQL, anywhere outside comments for Python. */
export function refLiteralsOfFile(filePath: string, text: string): RefLiteral[] {
  if (filePath.endsWith('.py')) return refLiteralsIn(stripPythonComments(text));
  return jinjaTagsOf(text).flatMap(t => refLiteralsIn(text, t.start, t.end));
}

/** Python comments blanked (same length), so a `# ref('x')` is never edited. */
function stripPythonComments(text: string): string {
  return text.replace(/(^|[^'"\w])#[^\n]*/g, (m, lead: string) => lead + ' '.repeat(m.length - lead.length));
}
