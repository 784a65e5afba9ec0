// parseFile: the pure, per-file entry point. Same input, same output; no I/O. Cache it by content hash.

import type { DbtProjectInfo } from '../types';
import { parsePythonModelFile, parseSqlNodeFile } from './codefiles';
import { parseDocsFile } from './docs';
import { emptyParse, FileParse } from './fileparse';
import { parseMacroFile } from './macros';
import { classifyPath } from './paths';
import { parsePropertiesFile } from './properties';
import { parseSeedFile } from './seeds';
import { parseSnapshotFile } from './snapshots';

export type { FileParse, YamlPatch, FileKind } from './fileparse';

export interface ParseFileOptions {
  /** Size of the whole file when `content` is only its beginning (large seeds, see readProjectFile). */
  sizeBytes?: number;
}

/** A test-path .sql file holds generic tests (macros) when under a `generic/` folder, as dbt decides. */
function isGenericTestFile(base: string, relPath: string, content: string): boolean {
  const rest = base ? relPath.slice(base.length) : '/' + relPath;
  return rest.includes('/generic/') || /\{%-?\s*(test|macro)\s+\w+\s*\(/.test(content);
}

export function parseFile(info: DbtProjectInfo, relPath: string, content: string, opts: ParseFileOptions = {}): FileParse {
  const where = classifyPath(info, relPath);
  if (!where) return emptyParse(relPath, 'ignored');
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const ext = relPath.slice(relPath.lastIndexOf('.') + 1).toLowerCase();
  const { role, base } = where;
  if (ext === 'md') return parseDocsFile(info, relPath, text);
  if (role === 'docs') return emptyParse(relPath, 'ignored');
  if (ext === 'yml' || ext === 'yaml') return parsePropertiesFile(info, relPath, text);
  if (ext === 'csv') return role === 'seed' ? parseSeedFile(info, relPath, content, opts.sizeBytes) : emptyParse(relPath, 'ignored');
  if (ext === 'py') return role === 'model' ? parsePythonModelFile(info, relPath, text) : emptyParse(relPath, 'ignored');
  if (ext !== 'sql') return emptyParse(relPath, 'ignored');
  switch (role) {
    case 'model': return parseSqlNodeFile(info, relPath, text, 'model');
    case 'analysis': return parseSqlNodeFile(info, relPath, text, 'analysis');
    case 'snapshot': return parseSnapshotFile(info, relPath, text);
    case 'macro': return parseMacroFile(info, relPath, text);
    case 'test':
      return isGenericTestFile(base, relPath, text) ? parseMacroFile(info, relPath, text) : parseSqlNodeFile(info, relPath, text, 'test');
    default: return emptyParse(relPath, 'ignored');
  }
}
