// Which dbt node a place in a file is about: the node the file defines at that line, else the YAML entry that
// documents one there (the innermost), else the first node the file defines.
import type { DbtNode } from '../types';
import type { WorkspaceSnapshot } from './snapshot';

/** `rel` is workspace-relative with forward slashes; `line` is 1-based. */
export function nodeAt(snap: Pick<WorkspaceSnapshot, 'graph'>, rel: string, line: number): DbtNode | undefined {
  // Tests and macros are only picked in their own files: a model's YAML lists its tests, but the cursor there means the model.
  const nodes = snap.graph.nodes().filter(n => (n.resourceType !== 'test' && n.resourceType !== 'macro') || n.location?.path === rel);
  const defined = nodes.filter(n => n.location?.path === rel && n.location.startLine <= line && n.location.endLine >= line);
  if (defined.length) return defined[0];
  const yaml = nodes.filter(n => n.yamlLocation?.path === rel && n.yamlLocation.startLine <= line && n.yamlLocation.endLine >= line);
  const span = (n: DbtNode) => n.yamlLocation!.endLine - n.yamlLocation!.startLine;
  if (yaml.length) return [...yaml].sort((a, b) => span(a) - span(b))[0];
  return nodes.find(n => n.location?.path === rel);
}
