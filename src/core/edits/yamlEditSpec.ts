// What the YAML editor is asked to write — entries, columns, tests — and how those specs become YAML values.
import { parseRefString } from '../dbt/calls';
import type { YamlValue } from './yamlEditRender';

/** The top-level list an entry lives in. */
export type EntryKind = 'models' | 'seeds' | 'snapshots' | 'sources';

/** Which entry: a model/seed/snapshot by name, or a source table (`source` = the source's name). */
export interface EntryTarget {
  kind: EntryKind;
  name: string;
  source?: string;
}

/** A generic test: `unique`, or `{ name: 'relationships', args: { to: "ref('x')", field: 'id' } }`. */
export interface TestSpec {
  name: string;
  args?: Record<string, YamlValue>;
}

export interface ColumnSpec {
  name: string;
  description?: string;
  dataType?: string;
  tests?: TestSpec[];
}

export interface EntrySpec {
  name: string;
  description?: string;
  columns?: ColumnSpec[];
  /** Tests on the entry itself. */
  tests?: TestSpec[];
}

export interface YamlEditOptions {
  /** Replace existing descriptions (and doc() references) too; default: only where none exists. */
  rewrite?: boolean;
  /** Key of a new test list when the column or entry has none (default 'data_tests'). */
  testsKey?: 'data_tests' | 'tests';
  /** Test arguments beside the test name (default) or under `arguments:` (dbt 1.10+ style). */
  testArgs?: 'top' | 'arguments';
  /** The wanted column order (e.g. the SQL's): new columns go before the next existing one in it; else at the end. */
  columnOrder?: string[];
}

/** What an upsert did, for the plan's explanation. */
export interface UpsertResult {
  createdEntry: boolean;
  addedColumns: string[];
  /** Columns (or '' for the entry) whose description was set. */
  described: string[];
  addedTests: { column?: string; test: string }[];
  typed: string[];
}

/** A test's identity for duplicate checks: its name, plus target and field for relationships. */
export function testIdentity(name: string, args: Record<string, unknown> | undefined): string {
  if (name !== 'relationships' && !name.endsWith('.relationships')) return name.toLowerCase();
  const a = (args?.arguments && typeof args.arguments === 'object' ? args.arguments : args) as Record<string, unknown> | undefined;
  const to = typeof a?.to === 'string' ? parseRefString(a.to) : {};
  const target = to.ref ? `ref:${to.ref.package ?? ''}.${to.ref.name}` : to.source ? `source:${to.source.source}.${to.source.table}` : String(a?.to ?? '');
  return `${name}|${target}|${String(a?.field ?? '')}`.toLowerCase();
}

export function testToYaml(t: TestSpec, style: YamlEditOptions['testArgs'] = 'top'): YamlValue {
  if (!t.args || !Object.keys(t.args).length) return t.name;
  return { [t.name]: style === 'arguments' ? { arguments: t.args } : t.args };
}

export function columnToYaml(c: ColumnSpec, opts: YamlEditOptions): { [key: string]: YamlValue } {
  const out: { [key: string]: YamlValue } = { name: c.name };
  if (c.description?.trim()) out.description = c.description;
  if (c.dataType) out.data_type = c.dataType;
  if (c.tests?.length) out[opts.testsKey ?? 'data_tests'] = c.tests.map(t => testToYaml(t, opts.testArgs));
  return out;
}

export function entryToYaml(e: EntrySpec, opts: YamlEditOptions): { [key: string]: YamlValue } {
  const out: { [key: string]: YamlValue } = { name: e.name };
  if (e.description?.trim()) out.description = e.description;
  if (e.tests?.length) out[opts.testsKey ?? 'data_tests'] = e.tests.map(t => testToYaml(t, opts.testArgs));
  if (e.columns?.length) out.columns = e.columns.map(c => columnToYaml(c, opts));
  return out;
}

export function describeTarget(t: EntryTarget): string {
  return t.kind === 'sources' ? `source table ${t.source}.${t.name}` : `${t.kind.replace(/s$/, '')} ${t.name}`;
}
