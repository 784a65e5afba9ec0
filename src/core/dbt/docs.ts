// Docs blocks in Markdown files: `{% docs name %}...{% enddocs %}`. Markdown is not scanned as general
// Jinja (code samples in it often hold stray braces); only docs tags matter here.

import type { DbtProjectInfo } from '../types';
import { emptyParse, FileParse } from './fileparse';
import { LineIndex } from './lines';

const OPEN = /\{%-?\s*docs\s+([^\s%-]+)\s*-?%\}/g;
const CLOSE = /\{%-?\s*enddocs\s*-?%\}/g;

export function parseDocsFile(info: DbtProjectInfo, relPath: string, content: string): FileParse {
  const parse = emptyParse(relPath, 'docs');
  const lines = new LineIndex(content);
  OPEN.lastIndex = 0;
  for (let open = OPEN.exec(content); open; open = OPEN.exec(content)) {
    CLOSE.lastIndex = open.index + open[0].length;
    const close = CLOSE.exec(content);
    const line = lines.lineAt(open.index);
    if (!close) {
      parse.problems.push({
        path: relPath, line, severity: 'error',
        message: `Docs block '${open[1]}' is never closed: add {% enddocs %} after its text.`,
      });
      break;
    }
    if (!/^[A-Za-z_]\w*$/.test(open[1])) {
      parse.problems.push({
        path: relPath, line, severity: 'warning',
        message: `Docs block name '${open[1]}' is not a valid identifier; dbt accepts letters, digits and underscores.`,
      });
    }
    parse.docBlocks.push({
      name: open[1],
      project: info.name,
      text: content.slice(open.index + open[0].length, close.index).trim(),
      location: { path: relPath, startLine: line, endLine: lines.lineAt(close.index + close[0].length - 1) },
    });
    OPEN.lastIndex = close.index + close[0].length;
  }
  return parse;
}
