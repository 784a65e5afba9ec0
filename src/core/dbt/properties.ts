// YAML property files (schema.yml & co.): patches for models/seeds/snapshots/analyses/macros, and the
// resources YAML defines itself — sources (one node per table), exposures, metrics, semantic models,
// saved queries, YAML snapshots (dbt 1.9) — plus a test node per generic test.
// YAML that declares none of dbt's keys is ignored quietly.

import { LineCounter, parseAllDocuments } from 'yaml';
import type { ColumnDef, DbtNode, DbtProjectInfo, ResourceType } from '../types';
import { parseRefString } from './calls';
import { isRecord, mergeConfigs, RawConfig, toTags } from './config';
import { emptyParse, FileParse, YamlPatch } from './fileparse';
import { parseTests, ParsedTests, TestTarget } from './generictests';
import { docRefsIn, newNode, uniqueIdOf } from './nodes';
import { YamlReader } from './yamlast';

type PatchType = YamlPatch['resourceType'];

const PATCH_KEYS: [string, PatchType][] = [
  ['models', 'model'], ['seeds', 'seed'], ['snapshots', 'snapshot'], ['analyses', 'analysis'], ['macros', 'macro'],
  // Singular tests documented in YAML (dbt 1.8+ `data_tests:`, older `tests:`).
  ['data_tests', 'test'], ['tests', 'test'],
];

const YAML_NODE_KEYS: [string, ResourceType][] = [
  ['exposures', 'exposure'], ['metrics', 'metric'], ['semantic_models', 'semantic_model'], ['saved_queries', 'saved_query'],
];

/** Keys read into dedicated fields; every other key of an entry is kept in props as written. */
const COMMON_KEYS = new Set(['name', 'description', 'config', 'tags', 'meta', 'columns', 'tests', 'data_tests']);

export function parsePropertiesFile(info: DbtProjectInfo, relPath: string, content: string): FileParse {
  const parse = emptyParse(relPath, 'properties');
  const lc = new LineCounter();
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(content, { lineCounter: lc, uniqueKeys: false, merge: true });
  } catch (e) {
    parse.problems.push({ path: relPath, line: 1, severity: 'error', message: `Cannot read YAML: ${(e as Error).message}` });
    return parse;
  }
  for (const doc of docs) {
    if (doc.errors.length) {
      // The first error is the cause; the ones after it are usually its echoes.
      const err = doc.errors[0];
      const what = err.message.split('\n')[0].replace(/:$/, '');
      parse.problems.push({
        path: relPath, line: err.linePos?.[0].line ?? 1, severity: 'error',
        message: `Invalid YAML, this file is skipped: ${what}. Fix the syntax (dbt cannot read it either).`,
      });
      continue;
    }
    readDocument(new YamlReader(doc, lc, relPath, content), info, parse);
  }
  return parse;
}

function readDocument(y: YamlReader, info: DbtProjectInfo, parse: FileParse): void {
  const root = y.doc.contents;
  if (!y.isMap(root)) return;
  for (const [key, rt] of PATCH_KEYS) {
    for (const item of entries(y, root, key, parse)) {
      if (rt === 'snapshot' && y.has(item, 'relation')) readYamlSnapshot(y, info, item, parse);
      else readPatch(y, info, item, rt, parse);
    }
  }
  for (const item of entries(y, root, 'sources', parse)) readSource(y, info, item, parse);
  for (const [key, rt] of YAML_NODE_KEYS) {
    for (const item of entries(y, root, key, parse)) readYamlNode(y, info, item, rt, parse);
  }
}

/** Map entries of a top-level list; entries without a name are reported and skipped. */
function entries(y: YamlReader, root: unknown, key: string, parse: FileParse): unknown[] {
  return y.items(y.get(root, key)).filter(item => {
    if (!y.isMap(item)) return false;
    if (y.str(y.get(item, 'name'))) return true;
    warn(parse, y, item, `This \`${key}:\` entry has no \`name:\`; dbt needs one to know what it describes.`);
    return false;
  });
}

function warn(parse: FileParse, y: YamlReader, node: unknown, message: string): void {
  parse.problems.push({ path: y.path, line: y.line(node), severity: 'warning', message });
}

/** `config:` plus top-level `tags:`/`meta:` of an entry (dbt folds those into config). */
function entryConfig(y: YamlReader, item: unknown): RawConfig {
  const top: RawConfig = {};
  if (y.has(item, 'tags')) top.tags = toTags(y.jsOf(item, 'tags'));
  const meta = y.jsOf(item, 'meta');
  if (isRecord(meta)) top.meta = meta;
  const cfg = y.jsOf(item, 'config');
  return mergeConfigs(top, isRecord(cfg) ? cfg : undefined);
}

function otherProps(y: YamlReader, item: unknown, skip: ReadonlySet<string>): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const key of y.keys(item)) if (!COMMON_KEYS.has(key) && !skip.has(key)) props[key] = y.jsOf(item, key);
  return props;
}

function absorb(parse: FileParse, tests: ParsedTests): void {
  parse.nodes.push(...tests.nodes);
  Object.assign(parse.configs, tests.configs);
  parse.problems.push(...tests.problems);
}

function testLists(y: YamlReader, item: unknown): unknown[] {
  return [y.get(item, 'data_tests'), y.get(item, 'tests')];
}

// ---------------------------------------------------------------- columns

function readColumns(y: YamlReader, project: string, item: unknown, target: TestTarget | undefined, parse: FileParse): ColumnDef[] {
  const columns: ColumnDef[] = [];
  for (const col of y.items(y.get(item, 'columns'))) {
    const name = y.str(y.get(col, 'name'));
    if (!name) {
      if (y.isMap(col)) warn(parse, y, col, 'Column entry has no `name:`; it is skipped.');
      continue;
    }
    const description = y.str(y.get(col, 'description'));
    const cfg = entryConfig(y, col);
    const def: ColumnDef = {
      name,
      tests: [],
      constraints: asArray(y.jsOf(col, 'constraints')),
      meta: isRecord(cfg.meta) ? cfg.meta : {},
      tags: toTags(cfg.tags),
      docRefs: docRefsIn(description),
      location: y.range(col),
    };
    if (description !== undefined) def.description = description;
    const dataType = y.str(y.get(col, 'data_type'));
    if (dataType !== undefined) def.dataType = dataType;
    if (target) {
      const tests = parseTests(y, project, testLists(y, col), target, name);
      def.tests = tests.defs;
      absorb(parse, tests);
    }
    columns.push(def);
  }
  return columns;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

// ---------------------------------------------------------------- patches

function readPatch(y: YamlReader, info: DbtProjectInfo, item: unknown, rt: PatchType, parse: FileParse): void {
  const name = y.str(y.get(item, 'name'))!;
  const target: TestTarget | undefined = rt === 'analysis' || rt === 'macro' || rt === 'test'
    ? undefined
    : { resourceType: rt, name, uniqueId: uniqueIdOf(rt, info.name, name) };
  const description = y.str(y.get(item, 'description'));
  const props = otherProps(y, item, new Set(['versions']));
  if (rt === 'macro' && 'arguments' in props) {
    props.documentedArguments = props.arguments;
    delete props.arguments;
  }
  const patch: YamlPatch = {
    resourceType: rt,
    name,
    location: y.range(item),
    docRefs: docRefsIn(description),
    columns: readColumns(y, info.name, item, target, parse),
    tests: [],
    config: entryConfig(y, item),
    props,
  };
  if (description !== undefined) patch.description = description;
  if (target) {
    const tests = parseTests(y, info.name, testLists(y, item), target);
    patch.tests = tests.defs;
    absorb(parse, tests);
  }
  if (rt === 'model' && y.isSeq(y.get(item, 'versions'))) patch.versions = readVersions(y, info, item, target, parse);
  parse.patches.push(patch);
}

/** `versions:` of a model: each version documents the file `<name>_v<v>` (or `defined_in`). */
function readVersions(
  y: YamlReader, info: DbtProjectInfo, item: unknown, target: TestTarget | undefined, parse: FileParse,
): NonNullable<YamlPatch['versions']> {
  const out: NonNullable<YamlPatch['versions']> = [];
  for (const ver of y.items(y.get(item, 'versions'))) {
    const v = y.str(y.get(ver, 'v'));
    if (v === undefined) {
      warn(parse, y, ver, 'Model version entry has no `v:`; it is skipped.');
      continue;
    }
    const entry: NonNullable<YamlPatch['versions']>[number] = { v, location: y.range(ver) };
    const definedIn = y.str(y.get(ver, 'defined_in'));
    if (definedIn) entry.definedIn = definedIn;
    if (y.has(ver, 'columns')) entry.columns = readColumns(y, info.name, ver, target, parse);
    if (y.has(ver, 'config')) entry.config = entryConfig(y, ver);
    out.push(entry);
  }
  return out;
}

// ---------------------------------------------------------------- YAML-defined nodes

function yamlNode(y: YamlReader, info: DbtProjectInfo, item: unknown, rt: ResourceType, parse: FileParse, skip: ReadonlySet<string>): DbtNode {
  const name = y.str(y.get(item, 'name'))!;
  const node = newNode(rt, info.name, name, y.range(item));
  const description = y.str(y.get(item, 'description'));
  if (description !== undefined) node.description = description;
  node.docRefs = docRefsIn(description);
  node.props = otherProps(y, item, skip);
  const cfg = entryConfig(y, item);
  if (Object.keys(cfg).length) parse.configs[node.uniqueId] = cfg;
  parse.nodes.push(node);
  return node;
}

/** Adds what a `ref('x')` / `source('a', 'b')` string points at to the node's dependencies. */
function addDependency(node: DbtNode, text: unknown): void {
  if (typeof text !== 'string') return;
  const dep = parseRefString(text);
  if (dep.ref) node.refs.push(dep.ref);
  if (dep.source) node.sources.push(dep.source);
  if (dep.metric) node.props.metrics = [...asArray(node.props.metrics), dep.metric];
}

function readYamlNode(y: YamlReader, info: DbtProjectInfo, item: unknown, rt: ResourceType, parse: FileParse): void {
  const node = yamlNode(y, info, item, rt, parse, new Set());
  if (rt === 'exposure') for (const dep of asArray(node.props.depends_on)) addDependency(node, dep);
  if (rt === 'metric' || rt === 'semantic_model') addDependency(node, node.props.model);
  node.columns = readColumns(y, info.name, item, undefined, parse);
}

/** dbt 1.9 snapshots defined in YAML: `relation: ref('orders')` plus config. */
function readYamlSnapshot(y: YamlReader, info: DbtProjectInfo, item: unknown, parse: FileParse): void {
  const node = yamlNode(y, info, item, 'snapshot', parse, new Set());
  addDependency(node, node.props.relation);
  const target: TestTarget = { resourceType: 'snapshot', name: node.name, uniqueId: node.uniqueId };
  node.columns = readColumns(y, info.name, item, target, parse);
  const tests = parseTests(y, info.name, testLists(y, item), target);
  node.tests = tests.defs;
  absorb(parse, tests);
}

// ---------------------------------------------------------------- sources

const SOURCE_SKIP = new Set(['tables', 'overrides']);

function readSource(y: YamlReader, info: DbtProjectInfo, item: unknown, parse: FileParse): void {
  if (y.has(item, 'overrides')) return; // overrides a package's source: not a source of this project
  const sourceName = y.str(y.get(item, 'name'))!;
  const sourceProps = otherProps(y, item, SOURCE_SKIP);
  const sourceConfig = entryConfig(y, item);
  const sourceDescription = y.str(y.get(item, 'description'));
  for (const table of entries(y, item, 'tables', parse)) {
    const name = y.str(y.get(table, 'name'))!;
    const node = newNode('source', info.name, name, y.range(table), uniqueIdOf('source', info.name, sourceName, name));
    const description = y.str(y.get(table, 'description'));
    if (description !== undefined) node.description = description;
    node.docRefs = docRefsIn(description);
    const tableProps = otherProps(y, table, new Set());
    node.props = {
      ...sourceProps, ...tableProps, source_name: sourceName,
      // A table-level `freshness:` (even null) overrides the source's.
      freshness: y.has(table, 'freshness') ? tableProps.freshness : sourceProps.freshness,
    };
    if (sourceDescription !== undefined) node.props.source_description = sourceDescription;
    const identifier = typeof tableProps.identifier === 'string' ? tableProps.identifier : name;
    const schema = typeof sourceProps.schema === 'string' ? sourceProps.schema : sourceName;
    node.relation = { schema, identifier };
    if (typeof sourceProps.database === 'string') node.relation.database = sourceProps.database;
    const cfg = mergeConfigs(sourceConfig, entryConfig(y, table));
    if (Object.keys(cfg).length) parse.configs[node.uniqueId] = cfg;
    const target: TestTarget = { resourceType: 'source', name, sourceName, uniqueId: node.uniqueId };
    node.columns = readColumns(y, info.name, table, target, parse);
    const tests = parseTests(y, info.name, testLists(y, table), target);
    node.tests = tests.defs;
    absorb(parse, tests);
    parse.nodes.push(node);
  }
}
