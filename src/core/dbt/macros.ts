// Macro files: one node per `{% macro %}` and per generic test `{% test %}` block (dbt names the latter
// `test_<name>`). `{% materialization %}` blocks are skipped.

import type { DbtProjectInfo } from '../types';
import { depsOfTags } from './calls';
import { addJinjaProblems } from './codefiles';
import { emptyParse, FileParse } from './fileparse';
import { JinjaBlock, JinjaScan, scanJinja } from './jinja';
import { splitTopLevel } from './literal';
import { newNode } from './nodes';

export interface MacroArgument {
  name: string;
  /** Default value as written. */
  default?: string;
}

export function parseMacroFile(info: DbtProjectInfo, relPath: string, content: string): FileParse {
  const parse = emptyParse(relPath, 'macro');
  const scan = scanJinja(content);
  addJinjaProblems(parse, relPath, scan.problems);
  for (const block of scan.blocks) {
    if (block.keyword !== 'macro' && block.keyword !== 'test') continue;
    const sig = /^(?:macro|test)\s+([A-Za-z_]\w*)\s*(?:\(([\s\S]*)\))?\s*$/.exec(block.open.body);
    if (!sig) {
      parse.problems.push({
        path: relPath, line: block.open.line, severity: 'error',
        message: `Cannot read the ${block.keyword} signature \`{% ${block.open.body} %}\`; write it as \`{% ${block.keyword} name(arg1, arg2) %}\`.`,
      });
      continue;
    }
    parse.nodes.push(macroNode(info, relPath, content, scan, block, sig[1], macroArguments(sig[2] ?? '')));
  }
  return parse;
}

function macroNode(
  info: DbtProjectInfo, relPath: string, content: string, scan: JinjaScan, block: JinjaBlock,
  declared: string, args: MacroArgument[],
) {
  const name = block.keyword === 'test' ? `test_${declared}` : declared;
  const end = block.close?.end ?? content.length;
  const node = newNode('macro', info.name, name, {
    path: relPath,
    startLine: block.open.line,
    endLine: block.close ? block.close.endLine : scan.lines.lastLineBefore(block.open.start, end),
  });
  node.rawCode = content.slice(block.open.start, end);
  const inner = scan.tags.filter(t => t.start > block.open.start && t.end <= end);
  const deps = depsOfTags(inner, args.map(a => a.name));
  node.macros = deps.macros.filter(m => m !== name);
  node.isIncremental = deps.isIncremental;
  node.props = { arguments: args };
  if (block.keyword === 'test') node.props.genericTest = declared;
  return node;
}

/** `a, b=none, c='x'` → [{name:'a'}, {name:'b', default:'none'}, ...]; `*args`/`**kwargs` are kept by name. */
export function macroArguments(sig: string): MacroArgument[] {
  if (!sig.trim()) return [];
  return splitTopLevel(sig)
    .map(part => part.trim())
    .filter(Boolean)
    .map(part => {
      const eq = part.indexOf('=');
      return eq < 0 ? { name: part } : { name: part.slice(0, eq).trim(), default: part.slice(eq + 1).trim() };
    });
}
