// SQL and Python files that define one node each: models, analyses and singular tests.
//
// Note on comments: dbt renders Jinja before the SQL is read, so Jinja inside SQL comments is live —
// `-- {{ ref('x') }}` creates a dependency on x, exactly as dbt does. Jinja comments `{# #}` are removed
// first (a ref in them never counts), `{% raw %}` content is plain text, and text outside Jinja tags
// (`-- ref('x')` without braces) is never a call.

import type { DbtNode, DbtProjectInfo, ResourceType } from '../types';
import type { CodeDeps } from './calls';
import { depsOfTags } from './calls';
import { emptyParse, FileParse } from './fileparse';
import { EXPR_PLACEHOLDER, JinjaProblem, scanJinja } from './jinja';
import { lineCount } from './lines';
import { fileStem, newNode } from './nodes';
import { analyzePython } from './python';
import { findCtes } from './sql';

const PLACEHOLDERS = new Set([EXPR_PLACEHOLDER]);

export function parseSqlNodeFile(
  info: DbtProjectInfo,
  relPath: string,
  content: string,
  resourceType: Extract<ResourceType, 'model' | 'analysis' | 'test'>,
): FileParse {
  const parse = emptyParse(relPath, resourceType);
  const scan = scanJinja(content);
  addJinjaProblems(parse, relPath, scan.problems);
  const deps = depsOfTags(scan.tags);
  const node = codeNode(info, relPath, content, resourceType, deps);
  node.language = 'sql';
  node.ctes = findCtes(scan.sql, PLACEHOLDERS);
  if (resourceType === 'test') node.props = { ...node.props, testName: node.name, singular: true };
  parse.nodes.push(node);
  if (Object.keys(deps.config).length) parse.configs[node.uniqueId] = deps.config;
  return parse;
}

export function parsePythonModelFile(info: DbtProjectInfo, relPath: string, content: string): FileParse {
  const parse = emptyParse(relPath, 'model');
  const deps = analyzePython(content);
  const node = codeNode(info, relPath, content, 'model', deps);
  node.language = 'python';
  if (!deps.hasModelFunction) {
    parse.problems.push({
      path: relPath, line: 1, severity: 'warning',
      message: 'Python model has no `def model(dbt, session):` function; dbt will refuse it. Define that function and return a DataFrame.',
    });
  }
  parse.nodes.push(node);
  if (Object.keys(deps.config).length) parse.configs[node.uniqueId] = deps.config;
  return parse;
}

function codeNode(info: DbtProjectInfo, relPath: string, content: string, rt: ResourceType, deps: CodeDeps): DbtNode {
  const node = newNode(rt, info.name, fileStem(relPath), { path: relPath, startLine: 1, endLine: lineCount(content) });
  node.rawCode = content;
  node.refs = deps.refs;
  node.sources = deps.sources;
  node.macros = deps.macros;
  node.isIncremental = deps.isIncremental;
  if (deps.dynamic.length) node.props.dynamicDependencies = deps.dynamic;
  return node;
}

export function addJinjaProblems(parse: FileParse, relPath: string, problems: JinjaProblem[]): void {
  for (const p of problems) parse.problems.push({ path: relPath, line: p.line, message: p.message, severity: 'error' });
}
