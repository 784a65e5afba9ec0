// Data tests in the graph. The file parser keeps YAML tests as TestDefs on columns/nodes; the manifest has
// them as test nodes (and the manifest reader also copies them onto columns). The graph turns every TestDef
// without a matching test node into a synthesized test node, so both origins look the same.
import type { DbtNode, TestDef } from '../types';
import { parseRefString, prop, propString, sourceKeyOf } from './graph-node';
import { newNode } from './nodes';

/** How one test covers a node (the graph's own record). */
export interface CoverageRecord {
  /** The test node (synthesized, props.synthesized = true, for YAML tests without a node of their own). */
  node: DbtNode;
  /** unique, not_null, relationships, dbt_utils.unique_combination_of_columns, ... or a singular test's name. */
  testName: string;
  column?: string;
  def?: TestDef;
  /** A .sql test under tests/ that refs the node. */
  singular: boolean;
  /** A relationships test declared on another node whose `to:` points at this node. */
  viaRelationship: boolean;
}

/** What testsCovering returns: a copy of the test node, flagged with how it covers the asked node
 *  (`node` is the graph's own object). */
export interface TestCoverage extends DbtNode, CoverageRecord {}

export interface GenericTestInfo {
  testName?: string;
  column?: string;
  attachedId?: string;
  def?: TestDef;
}

/** What a real test node says about itself. Both spellings are read: the file parser's props
 *  (testName, column, attachedTo, args, generic / singular) and the manifest's (test_metadata, column_name, attached_node). */
export function genericInfoOf(test: DbtNode): GenericTestInfo {
  if (test.props.singular === true) return {};
  const tm = prop(test, 'test_metadata', 'testMetadata') as { name?: unknown; namespace?: unknown; kwargs?: unknown } | undefined;
  let testName = test.tests[0]?.name ?? (test.props.generic === true ? propString(test, 'testName') : undefined);
  if (!testName && tm && typeof tm.name === 'string') {
    testName = typeof tm.namespace === 'string' && tm.namespace ? `${tm.namespace}.${tm.name}` : tm.name;
  }
  if (!testName) return {};
  const column = propString(test, 'column', 'column_name', 'columnName') ?? test.tests[0]?.column;
  return {
    testName,
    column,
    attachedId: propString(test, 'attachedTo', 'attached_node', 'attachedNode'),
    def: test.tests[0] ?? defFromProps(test, testName, column, tm?.kwargs),
  };
}

/** A TestDef for a test node that keeps its arguments in props (file parser) or test_metadata.kwargs (raw manifest). */
function defFromProps(test: DbtNode, name: string, column: string | undefined, kwargs: unknown): TestDef {
  const raw = prop(test, 'args') ?? kwargs;
  const args = raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : {};
  delete args.model;
  const def: TestDef = { name, args };
  if (column) def.column = column;
  if (test.location) def.location = test.location;
  const to = typeof args.to === 'string' ? parseRefString(args.to) : undefined;
  if (to) def.to = to;
  return def;
}

export function testKey(attachedId: string, column: string | undefined, testName: string): string {
  return `${attachedId}|${column ?? ''}|${testName}`.toLowerCase();
}

/** dbt-like name: unique_orders_order_id, source_not_null_raw_orders_id. */
function testNodeName(owner: DbtNode, def: TestDef, column: string | undefined): string {
  const short = def.name.replace(/\./g, '_');
  const target = owner.resourceType === 'source' ? `source_${short}_${sourceKeyOf(owner).replace(/\./g, '_')}` : `${short}_${owner.name}`;
  return (column ? `${target}_${column}` : target).replace(/[^\w]+/g, '_');
}

/** A test node for a YAML-declared test; `taken` keeps unique_ids unique (the same test twice gets .2). */
export function synthesizeTest(owner: DbtNode, def: TestDef, column: string | undefined, taken: Set<string>): DbtNode {
  const name = testNodeName(owner, def, column);
  let uniqueId = `test.${owner.project}.${name}`;
  for (let i = 2; taken.has(uniqueId); i++) uniqueId = `test.${owner.project}.${name}.${i}`;
  taken.add(uniqueId);
  const node = newNode('test', owner.project, name, def.location ?? owner.yamlLocation ?? owner.location, uniqueId);
  node.tests = [def];
  // Same props as the file parser's generic test nodes, plus the flag.
  node.props = { testName: def.name, column, attachedTo: owner.uniqueId, args: def.args, generic: true, synthesized: true };
  return node;
}

/** True when a singular test's SQL mentions the column as a word (best effort for column-level questions). */
export function mentionsColumn(test: DbtNode, column: string): boolean {
  if (!test.rawCode) return false;
  const esc = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w])${esc}([^\\w]|$)`, 'i').test(test.rawCode);
}
