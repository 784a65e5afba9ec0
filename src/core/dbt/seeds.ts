// Seed CSV files: columns from the header, a row count estimate. Large seeds are read only in part
// (see readProjectFile): the row count is then extrapolated from the file size.

import type { DbtProjectInfo } from '../types';
import { emptyParse, FileParse } from './fileparse';
import { lineCount } from './lines';
import { fileStem, newNode } from './nodes';

export function parseSeedFile(
  info: DbtProjectInfo, relPath: string, content: string, sizeBytes = Buffer.byteLength(content),
): FileParse {
  const parse = emptyParse(relPath, 'seed');
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const header = readHeader(text);
  const lines = countRecordsLines(text);
  const readBytes = Buffer.byteLength(content);
  const partial = sizeBytes > readBytes && readBytes > 0;
  const totalLines = partial ? Math.round((lines * sizeBytes) / readBytes) : lines;
  const node = newNode('seed', info.name, fileStem(relPath), { path: relPath, startLine: 1, endLine: Math.max(1, totalLines) });
  node.columns = header.map(name => ({ name, tests: [], constraints: [], meta: {}, tags: [], docRefs: [] }));
  node.props = { header, rowCount: Math.max(0, totalLines - 1), rowCountEstimated: partial, sizeBytes };
  if (!header.length) {
    parse.problems.push({ path: relPath, line: 1, severity: 'warning', message: 'Seed file is empty: dbt needs a header row naming the columns.' });
  }
  parse.nodes.push(node);
  return parse;
}

/** Lines of the file, header included (0 for an empty file; a trailing newline does not add a row). */
function countRecordsLines(text: string): number {
  return text.trim() ? lineCount(text.trimEnd()) : 0;
}

/** Guesses the delimiter from the header line: ',' unless it is absent and ';', tab or '|' is there. */
function sniffDelimiter(line: string): string {
  if (line.includes(',')) return ',';
  return [';', '\t', '|'].find(d => line.includes(d)) ?? ',';
}

/** Fields of the first CSV record; handles quoted fields ("a,b", "say ""hi""", line breaks in quotes). */
export function readHeader(text: string): string[] {
  const firstLine = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
  const delim = sniffDelimiter(firstLine);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && !field.trim()) {
      quoted = true;
      field = '';
    } else if (c === delim) {
      fields.push(field.trim());
      field = '';
    } else if (c === '\n' || c === '\r') {
      break;
    } else {
      field += c;
    }
  }
  if (field.trim() || fields.length) fields.push(field.trim());
  return fields;
}
