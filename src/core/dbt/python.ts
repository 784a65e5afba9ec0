// Python models: `def model(dbt, session)` reading `dbt.ref(...)`, `dbt.source(...)`, `dbt.config(...)`.
// dbt reads Python models through Python's ast, so comments and string literals never count.

import { addCalls, CodeDeps, emptyDeps, finish } from './calls';
import { findCalls } from './jinja';
import { stringEnd } from './literal';

/** Python source with comments and triple-quoted strings (docstrings) blanked, same length. Ordinary strings
 *  stay: they are call arguments, and findCalls already ignores calls written inside them. */
function stripPythonNoise(src: string): string {
  const out: string[] = [];
  let copied = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '#') {
      const e = src.indexOf('\n', i);
      const end = e < 0 ? src.length : e;
      out.push(src.slice(copied, i), ' '.repeat(end - i));
      copied = end;
      i = end - 1;
    } else if (c === '"' || c === "'") {
      const e = stringEnd(src, i);
      const end = e < 0 ? src.length : e;
      const triple = src.startsWith(c + c + c, i);
      if (triple) { // docstrings and multi-line text: never code
        out.push(src.slice(copied, i), src.slice(i, end).replace(/[^\n]/g, ' '));
        copied = end;
      }
      i = end - 1;
    }
  }
  out.push(src.slice(copied));
  return out.join('');
}

/** Name of the first parameter of `def model(...)`: usually `dbt`. */
function dbtParamName(src: string): string {
  return /\bdef\s+model\s*\(\s*([A-Za-z_]\w*)/.exec(src)?.[1] ?? 'dbt';
}

export function analyzePython(src: string): CodeDeps & { hasModelFunction: boolean } {
  const code = stripPythonNoise(src);
  const param = dbtParamName(code);
  const deps = emptyDeps();
  const calls = findCalls(code)
    .filter(c => c.name.startsWith(param + '.'))
    .map(c => ({ ...c, name: c.name.slice(param.length + 1) }))
    .filter(c => c.name === 'ref' || c.name === 'source' || c.name === 'config');
  addCalls(deps, calls, new Set());
  return { ...finish(deps), hasModelFunction: /\bdef\s+model\s*\(/.test(code) };
}
