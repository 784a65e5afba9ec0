// Snapshot files: one node per `{% snapshot name %}...{% endsnapshot %}` block.

import type { DbtProjectInfo } from '../types';
import { depsOfTags } from './calls';
import { addJinjaProblems } from './codefiles';
import { emptyParse, FileParse } from './fileparse';
import { EXPR_PLACEHOLDER, scanJinja } from './jinja';
import { newNode } from './nodes';
import { findCtes } from './sql';

/** Snapshot config keys worth having at hand in props (they also stay in config). */
export const SNAPSHOT_KEYS = ['strategy', 'unique_key', 'updated_at', 'check_cols', 'target_schema', 'target_database'];

export function parseSnapshotFile(info: DbtProjectInfo, relPath: string, content: string): FileParse {
  const parse = emptyParse(relPath, 'snapshot');
  const scan = scanJinja(content);
  addJinjaProblems(parse, relPath, scan.problems);
  for (const block of scan.blocks) {
    if (block.keyword !== 'snapshot') continue;
    const name = /^snapshot\s+([A-Za-z_]\w*)\s*$/.exec(block.open.body)?.[1];
    if (!name) {
      parse.problems.push({
        path: relPath, line: block.open.line, severity: 'error',
        message: `Cannot read the snapshot name in \`{% ${block.open.body} %}\`; write \`{% snapshot my_snapshot %}\`.`,
      });
      continue;
    }
    const end = block.close?.end ?? content.length;
    const node = newNode('snapshot', info.name, name, {
      path: relPath,
      startLine: block.open.line,
      endLine: block.close ? block.close.endLine : scan.lines.lastLineBefore(block.open.start, end),
    });
    node.rawCode = content.slice(block.open.start, end);
    node.language = 'sql';
    const inner = scan.tags.filter(t => t.start > block.open.start && t.end <= end);
    const deps = depsOfTags(inner);
    node.refs = deps.refs;
    node.sources = deps.sources;
    node.macros = deps.macros;
    node.ctes = findCtes(scan.sql.slice(block.open.end, block.close?.start ?? end), new Set([EXPR_PLACEHOLDER]));
    if (deps.dynamic.length) node.props.dynamicDependencies = deps.dynamic;
    parse.nodes.push(node);
    if (Object.keys(deps.config).length) parse.configs[node.uniqueId] = deps.config;
  }
  return parse;
}
