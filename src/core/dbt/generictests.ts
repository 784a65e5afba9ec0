// Generic data tests declared in YAML (`tests:` / `data_tests:`), in every form dbt accepts:
//   - unique
//   - accepted_values: {values: [a, b], config: {severity: warn}}
//   - relationships: {to: ref('x'), field: id}
//   - accepted_values: {arguments: {values: [a, b]}}          (dbt 1.10)
//   - {name: custom, test_name: unique, config: ...}
// Each becomes a TestDef on its model/column and a test node named the way dbt names it.

import { createHash } from 'node:crypto';
import type { DbtNode, Problem, TestDef } from '../types';
import { parseRefString } from './calls';
import { isRecord, mergeConfigs, RawConfig } from './config';
import { newNode, uniqueIdOf } from './nodes';
import type { YamlReader } from './yamlast';

/** What the tests are attached to. */
export interface TestTarget {
  /** Resource kind of the target, for the uniqueId of `attachedTo`. */
  resourceType: 'model' | 'seed' | 'snapshot' | 'source';
  /** Model/seed/snapshot name, or the table name for sources. */
  name: string;
  sourceName?: string;
  uniqueId: string;
}

/** Keys of a test entry that are config, not arguments (older dbt allowed them at the top level). */
const TEST_CONFIG_KEYS = new Set([
  'severity', 'tags', 'where', 'limit', 'warn_if', 'error_if', 'fail_calc', 'store_failures',
  'store_failures_as', 'enabled', 'meta', 'alias', 'schema', 'database',
]);

export interface ParsedTests {
  defs: TestDef[];
  nodes: DbtNode[];
  configs: Record<string, RawConfig>;
  problems: Problem[];
}

/** Reads a `tests:`/`data_tests:` list. `column` is set for column tests. */
export function parseTests(
  y: YamlReader, project: string, seqs: unknown[], target: TestTarget, column?: string,
): ParsedTests {
  const out: ParsedTests = { defs: [], nodes: [], configs: {}, problems: [] };
  for (const seq of seqs) {
    for (const item of y.items(seq)) {
      const entry = readTestEntry(y, item);
      if ('error' in entry) {
        out.problems.push({ path: y.path, line: y.line(item), severity: 'warning', message: entry.error });
        continue;
      }
      const location = y.range(item);
      const args = { ...entry.args };
      const col = column ?? (typeof args.column_name === 'string' ? args.column_name : undefined);
      const def: TestDef = { name: entry.testName, args, location };
      if (col !== undefined) def.column = col;
      if (entry.testName === 'relationships' || entry.testName.endsWith('.relationships')) {
        const to = typeof args.to === 'string' ? parseRefString(args.to) : {};
        if (to.ref) def.to = to.ref;
        else if (to.source) def.to = to.source;
      }
      out.defs.push(def);
      const node = testNode(project, def, entry, target, column);
      out.nodes.push(node);
      if (Object.keys(entry.config).length) out.configs[node.uniqueId] = entry.config;
    }
  }
  return out;
}

interface TestEntry {
  testName: string;
  customName?: string;
  description?: string;
  args: Record<string, unknown>;
  config: RawConfig;
}

function readTestEntry(y: YamlReader, item: unknown): TestEntry | { error: string } {
  const asString = y.str(item);
  if (asString !== undefined) return { testName: asString, args: {}, config: {} };
  const value = y.js(item);
  if (!isRecord(value)) return { error: 'Test entry is neither a test name nor a mapping; write `- unique` or `- accepted_values: {values: [...]}`.' };
  if (typeof value.test_name === 'string') {
    const { test_name, name, ...rest } = value;
    return splitBody(test_name, rest, typeof name === 'string' ? name : undefined);
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    return { error: `Test entry has ${keys.length} keys (${keys.join(', ')}); a test is one key, its name, holding its arguments.` };
  }
  const body = value[keys[0]];
  return splitBody(keys[0], isRecord(body) ? body : {}, undefined);
}

function splitBody(testName: string, body: Record<string, unknown>, customName: string | undefined): TestEntry {
  const entry: TestEntry = { testName, args: {}, config: {}, customName };
  for (const [k, v] of Object.entries(body)) {
    if (k === 'name' && typeof v === 'string') entry.customName = v;
    else if (k === 'description' && typeof v === 'string') entry.description = v;
    else if (k === 'config' && isRecord(v)) entry.config = mergeConfigs(entry.config, v);
    else if (k === 'arguments' && isRecord(v)) Object.assign(entry.args, v);
    else if (TEST_CONFIG_KEYS.has(k)) entry.config = mergeConfigs(entry.config, { [k]: v });
    else entry.args[k] = v;
  }
  return entry;
}

function testNode(project: string, def: TestDef, entry: TestEntry, target: TestTarget, column?: string): DbtNode {
  const namingArgs: Record<string, unknown> = { ...def.args };
  if (column !== undefined) namingArgs.column_name = column;
  const names = entry.customName ? { full: entry.customName, short: entry.customName } : synthesizeTestName(def.name, target, namingArgs);
  const node = newNode('test', project, names.full, def.location, uniqueIdOf('test', project, names.full));
  if (target.resourceType === 'source') node.sources.push({ source: target.sourceName!, table: target.name });
  else node.refs.push({ name: target.name });
  if (def.to && 'name' in def.to) node.refs.push(def.to);
  else if (def.to) node.sources.push(def.to);
  node.description = entry.description;
  node.props = { testName: def.name, column: def.column, attachedTo: target.uniqueId, args: def.args, generic: true };
  if (names.short !== names.full) node.props.shortName = names.short;
  const dot = def.name.lastIndexOf('.');
  if (dot > 0) node.props.namespace = def.name.slice(0, dot);
  return node;
}

/**
 * dbt's synthesize_generic_test_names: the full name `<test>_<target>_<args...>` (dbt's node name and unique_id
 * use it) and the short name dbt gives the compiled file and relation (hashed when the full one has 64+ characters).
 */
export function synthesizeTestName(testName: string, target: TestTarget, args: Record<string, unknown>): { full: string; short: string } {
  let name = testName.replace('.', '_');
  let targetName = target.name;
  if (target.resourceType === 'source') {
    name = 'source_' + name;
    targetName = `${target.sourceName}_${target.name}`;
  }
  const flat: string[] = [];
  for (const key of Object.keys(args).sort()) {
    if (key === 'model') continue;
    const v = args[key];
    const parts = isRecord(v) ? Object.values(v) : Array.isArray(v) ? v : [v];
    for (const p of parts) flat.push(pyStr(p));
  }
  const unique = flat.map(a => a.replace(/[^0-9a-zA-Z_]+/g, '_')).join('__');
  const identifier = `${name}_${targetName}`;
  const full = `${identifier}_${unique}`;
  if (full.length < 64) return { full, short: full };
  return { full, short: `${identifier.slice(0, 30)}_${createHash('md5').update(full).digest('hex')}` };
}

/** Python's str() of a YAML value, enough for test names. */
function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isRecord(v)) return `{${Object.entries(v).map(([k, x]) => `'${k}': ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

function pyRepr(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : pyStr(v);
}
