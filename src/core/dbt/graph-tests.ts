// Data tests in the graph. The file parser keeps YAML tests as TestDefs on columns/nodes; the manifest has
// them as test nodes (and the manifest reader also copies them onto columns). The graph turns every TestDef
// without a matching test node into a synthesized test node, so both origins look the same.
import type { DbtNode, TestDef } from '../types';
import { prop, propString, sourceKeyOf } from './graph-node';

export interface TestCoverage {
  /** The test node (synthesized, props.synthesized = true, for YAML tests read from files). */
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

export interface GenericTestInfo {
  testName?: string;
  column?: string;
  attachedId?: string;
  def?: TestDef;
}

/** What a real test node says about itself (manifest: test_metadata / attached_node / column_name). */
export function genericInfoOf(test: DbtNode): GenericTestInfo {
  const def = test.tests[0];
  const tm = prop(test, 'test_metadata', 'testMetadata') as { name?: unknown; namespace?: unknown } | undefined;
  let testName = def?.name;
  if (!testName && tm && typeof tm.name === 'string') {
    testName = typeof tm.namespace === 'string' && tm.namespace ? `${tm.namespace}.${tm.name}` : tm.name;
  }
  return {
    testName,
    def,
    column: propString(test, 'column_name', 'columnName') ?? def?.column,
    attachedId: propString(test, 'attached_node', 'attachedNode'),
  };
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
  return {
    uniqueId,
    resourceType: 'test',
    name,
    project: owner.project,
    location: def.location ?? owner.yamlLocation ?? owner.location,
    docRefs: [],
    columns: [],
    tests: [def],
    config: { tags: [], other: {} },
    tags: [],
    meta: {},
    refs: [],
    sources: [],
    macros: [],
    ctes: [],
    isIncremental: false,
    props: { attached_node: owner.uniqueId, column_name: column, synthesized: true },
  };
}

/** True when a singular test's SQL mentions the column as a word (best effort for column-level questions). */
export function mentionsColumn(test: DbtNode, column: string): boolean {
  if (!test.rawCode) return false;
  const esc = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w])${esc}([^\\w]|$)`, 'i').test(test.rawCode);
}
