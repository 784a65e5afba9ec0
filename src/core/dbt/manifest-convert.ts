// target/manifest.json (schema v7-v12: dbt Core 1.3-1.10, and Fusion's v12) → ParsedProject.
// Props follow the file parser's conventions so both origins read the same downstream.
import type {
  ColumnDef, DbtNode, DbtProjectInfo, DocBlock, NodeConfig, ParsedProject, Problem, RefCall, ResourceType, SourceCall,
  SourceRange, TestDef,
} from '../types';
import { parseRefString } from './graph-node';
import type { Locator } from './manifest-locate';
import { arr, entries, isEmpty, obj, rest, str, strs, type Json } from './manifest-json';
import { ArtifactError } from './manifest-read';
import { cteNames } from './manifest-sql';
import type { YamlSection } from './manifest-yaml';

interface Ctx {
  info: DbtProjectInfo;
  loc: Locator;
  problems: Problem[];
  manifestRel: string;
  /** Every node and source of the manifest, packages included: dependencies are named from them. */
  all: Map<string, Json>;
}

const REFABLE = new Set(['model', 'seed', 'snapshot']);
const CODE_NODES = new Set(['model', 'seed', 'snapshot', 'analysis', 'test']);
const SECTION: Partial<Record<string, YamlSection>> = {
  model: 'models', seed: 'seeds', snapshot: 'snapshots', analysis: 'analyses', source: 'sources',
};
/** Manifest map → resource type → section of the properties YAML that declares it. */
const YAML_RESOURCES: [string, ResourceType, YamlSection][] = [
  ['exposures', 'exposure', 'exposures'], ['metrics', 'metric', 'metrics'],
  ['semantic_models', 'semantic_model', 'semantic_models'], ['saved_queries', 'saved_query', 'saved_queries'],
];
const CONFIG_KEYS = new Set(['materialized', 'unique_key', 'incremental_strategy', 'tags', 'schema', 'database', 'alias', 'enabled']);
/** Keys every YAML-defined resource has; the rest are its type-specific properties. */
const COMMON_KEYS = new Set([
  'name', 'unique_id', 'resource_type', 'package_name', 'path', 'original_file_path', 'root_path', 'fqn', 'description', 'meta',
  'tags', 'config', 'unrendered_config', 'depends_on', 'refs', 'sources', 'metrics', 'created_at', 'docs', 'patch_path',
]);

export function convertManifest(raw: unknown, info: DbtProjectInfo, loc: Locator, manifestRel: string): ParsedProject {
  const m = obj(raw);
  if (!m || !obj(m.nodes)) {
    throw new ArtifactError(`${manifestRel} is not a dbt manifest (it has no "nodes"); re-run \`dbt parse\` to rewrite it`, manifestRel, 'invalid');
  }
  const all = new Map<string, Json>([...entries(m.nodes), ...entries(m.sources)]);
  const ctx: Ctx = { info, loc, problems: [], manifestRel, all };
  checkSchema(m, ctx);
  checkProject(m, ctx);

  const nodes: DbtNode[] = [];
  const add = (id: string, j: Json, convert: (c: Ctx, id: string, j: Json) => DbtNode | undefined) => {
    if (obj(j.config)?.enabled === false) return;
    try {
      const n = convert(ctx, id, j);
      if (n) nodes.push(n);
    } catch (e) {
      ctx.problems.push({ path: manifestRel, severity: 'warning', message: `Skipped ${id} of the manifest: ${(e as Error).message}` });
    }
  };
  const own = (j: Json) => j.package_name === info.name;
  for (const [id, j] of entries(m.nodes)) if (own(j) && CODE_NODES.has(String(j.resource_type))) add(id, j, convertCodeNode);
  for (const [id, j] of entries(m.sources)) add(id, j, convertSource);
  for (const [id, j] of entries(m.macros)) add(id, j, convertMacro);
  for (const [key, type, section] of YAML_RESOURCES) {
    for (const [id, j] of entries(m[key])) if (own(j)) add(id, j, (c, i, x) => convertYamlResource(c, i, x, type, section));
  }
  attachTests(nodes);
  return { info, nodes, docBlocks: docBlocks(ctx, m.docs), problems: ctx.problems, origin: 'manifest' };
}

// ------------------------------------------------------------ checks

function checkSchema(m: Json, ctx: Ctx): void {
  const meta = obj(m.metadata) ?? {};
  const v = Number(/manifest\/v(\d+)/.exec(str(meta.dbt_schema_version) ?? '')?.[1]);
  if (Number.isFinite(v) && (v < 7 || v > 12)) {
    ctx.problems.push({
      path: ctx.manifestRel, severity: 'warning',
      message: `${ctx.manifestRel} uses manifest schema v${v} (dbt ${str(meta.dbt_version) ?? '?'}); DEA reads v7-v12 `
        + '(dbt 1.3-1.10 and Fusion) and reads this one best-effort. Delete it to index the project files instead.',
    });
  }
}

/** A manifest of another project (renamed project, copied target/) must not stand in for this one. */
function checkProject(m: Json, ctx: Ctx): void {
  const named = str(obj(m.metadata)?.project_name);
  const mismatch = named !== undefined
    ? named !== ctx.info.name
    : ctx.all.size > 0 && ![...ctx.all.values()].some(j => j.package_name === ctx.info.name);
  if (mismatch) {
    throw new ArtifactError(
      `${ctx.manifestRel} was written for project '${named ?? 'another project'}', not '${ctx.info.name}'; run \`dbt parse\` to refresh it`,
      ctx.manifestRel, 'mismatch');
  }
}

// ------------------------------------------------------------ shared parts

function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function convertConfig(c: Json | undefined): NodeConfig {
  const cfg = c ?? {};
  const uk = cfg.unique_key;
  return defined({
    materialized: str(cfg.materialized),
    uniqueKey: typeof uk === 'string' ? uk : Array.isArray(uk) ? strs(uk) : undefined,
    incrementalStrategy: str(cfg.incremental_strategy),
    tags: strs(cfg.tags),
    schema: str(cfg.schema),
    database: str(cfg.database),
    alias: str(cfg.alias),
    enabled: typeof cfg.enabled === 'boolean' ? cfg.enabled : undefined,
    other: rest(cfg, CONFIG_KEYS),
  });
}

/** depends_on.nodes → refs (named, with package/version: exact) and sources; non-ref()-able deps by unique_id. */
function dependencies(ctx: Ctx, j: Json, project: string): { refs: RefCall[]; sources: SourceCall[] } {
  const refs: RefCall[] = [];
  const sources: SourceCall[] = [];
  for (const dep of new Set(strs(obj(j.depends_on)?.nodes))) {
    const parts = dep.split('.');
    const d = ctx.all.get(dep);
    if (parts[0] === 'source') {
      sources.push({ source: str(d?.source_name) ?? parts[2], table: str(d?.name) ?? parts.slice(3).join('.') });
    } else if (REFABLE.has(parts[0])) {
      const pkg = str(d?.package_name) ?? parts[1];
      const version = d?.version ?? (parts.length === 4 && parts[3].startsWith('v') ? parts[3].slice(1) : undefined);
      refs.push(defined({
        name: str(d?.name) ?? parts[2],
        package: pkg !== project ? pkg : undefined,
        version: version === undefined || version === null ? undefined : String(version),
      }));
    } else {
      refs.push({ name: dep }); // metric, semantic model...: the graph matches a unique_id exactly
    }
  }
  return { refs, sources };
}

/** 'macro.dbt_utils.star' → 'dbt_utils.star'; the project's own macros by bare name, as they are called. */
function macroCalls(j: Json, project: string): string[] {
  return [...new Set(strs(obj(j.depends_on)?.macros).map(id => {
    const parts = id.split('.');
    if (parts[0] !== 'macro' || parts.length < 3) return id;
    const name = parts.slice(2).join('.');
    return parts[1] === project ? name : `${parts[1]}.${name}`;
  }))];
}

function base(ctx: Ctx, id: string, j: Json, type: ResourceType): DbtNode {
  const project = str(j.package_name) ?? ctx.info.name;
  const config = convertConfig(obj(j.config));
  const node: DbtNode = {
    uniqueId: id,
    resourceType: type,
    name: str(j.name) ?? id.split('.').pop()!,
    project,
    docRefs: [],
    columns: [],
    tests: [],
    config,
    tags: strs(j.tags),
    meta: obj(j.meta) ?? obj(obj(j.config)?.meta) ?? {},
    ...dependencies(ctx, j, project),
    macros: macroCalls(j, project),
    ctes: [],
    isIncremental: false,
    props: {},
  };
  const description = str(j.description);
  if (description) node.description = description;
  return node;
}

function columns(v: unknown, locate: (column: string) => SourceRange | undefined): ColumnDef[] {
  return entries(v).map(([key, c]) => {
    const name = str(c.name) ?? key;
    return defined({
      name,
      description: str(c.description),
      dataType: str(c.data_type),
      tests: [],
      constraints: arr(c.constraints),
      meta: obj(c.meta) ?? {},
      tags: strs(c.tags),
      docRefs: [],
      location: locate(name),
    });
  });
}

function filePath(ctx: Ctx, node: DbtNode, j: Json): string {
  return ctx.loc.wsPath(node.project, str(j.original_file_path) ?? str(j.path) ?? '');
}

function relationOf(j: Json, identifier: string): DbtNode['relation'] {
  return defined({ database: str(j.database), schema: str(j.schema), identifier });
}

// ------------------------------------------------------------ resources

function convertCodeNode(ctx: Ctx, id: string, j: Json): DbtNode {
  const type = String(j.resource_type) as ResourceType;
  if (type === 'test') return convertTest(ctx, id, j);
  const n = base(ctx, id, j, type);
  const file = filePath(ctx, n, j);
  const section = SECTION[type]!;
  const code = str(j.raw_code) ?? str(j.raw_sql);
  if (/\.ya?ml$/i.test(file)) n.location = ctx.loc.yamlRange(file, section, n.name); // dbt 1.9 YAML snapshots
  else if (type === 'seed') n.location = { path: file, startLine: 1, endLine: 1 }; // the header row
  else n.location = ctx.loc.codeRange(file, code);
  const yamlFile = ctx.loc.patchPath(str(j.patch_path));
  if (yamlFile) n.yamlLocation = ctx.loc.yamlRange(yamlFile, section, n.name);
  if (code && type !== 'seed') {
    n.rawCode = code;
    n.language = j.language === 'python' ? 'python' : 'sql';
    if (n.language === 'sql') n.ctes = cteNames(code);
  }
  n.columns = columns(j.columns, c => (yamlFile ? ctx.loc.yamlRange(yamlFile, section, n.name, c) : undefined));
  n.isIncremental = n.config.materialized === 'incremental';
  if (REFABLE.has(type) && n.config.materialized !== 'ephemeral') n.relation = relationOf(j, str(j.alias) ?? n.name);
  n.props = codeNodeProps(j, n);
  return n;
}

function codeNodeProps(j: Json, n: DbtNode): Record<string, unknown> {
  const version = j.version ?? undefined;
  const constraints = arr(j.constraints);
  const contract = obj(j.contract);
  return defined({
    version: version === null ? undefined : version,
    versionOf: version !== undefined && version !== null ? n.name : undefined,
    latest_version: j.latest_version ?? undefined,
    access: str(j.access),
    group: str(j.group),
    deprecation_date: str(j.deprecation_date),
    constraints: constraints.length ? constraints : undefined,
    contract: contract?.enforced ? contract : undefined,
    relation_name: str(j.relation_name),
    fqn: arr(j.fqn).length ? strs(j.fqn) : undefined,
  });
}

function convertTest(ctx: Ctx, id: string, j: Json): DbtNode {
  const n = base(ctx, id, j, 'test');
  const file = filePath(ctx, n, j);
  const tm = obj(j.test_metadata);
  if (!tm) {
    const code = str(j.raw_code) ?? str(j.raw_sql);
    n.location = ctx.loc.codeRange(file, code);
    if (code) { n.rawCode = code; n.language = 'sql'; n.ctes = cteNames(code); }
    n.props = { testName: n.name, singular: true };
    return n;
  }
  const kwargs = obj(tm.kwargs) ?? {};
  const namespace = str(tm.namespace);
  const testName = namespace ? `${namespace}.${str(tm.name)}` : str(tm.name) ?? n.name;
  const column = str(j.column_name) ?? str(kwargs.column_name);
  const attached = str(j.attached_node) ?? attachedFromKwargs(ctx, kwargs, j);
  n.location = testLocation(ctx, file, attached, column, testName);
  const args = rest(kwargs, new Set(['model', 'column_name']));
  const def: TestDef = defined({ name: testName, column, args, location: n.location });
  const to = /(^|\.)relationships$/.test(testName) && typeof kwargs.to === 'string' ? parseRefString(kwargs.to) : undefined;
  if (to) def.to = to;
  n.tests = [def];
  n.props = defined({
    testName, column, attachedTo: attached, args, generic: true, namespace,
    severity: str(obj(j.config)?.severity),
  });
  return n;
}

/** dbt < 1.5 has no attached_node: the tested model is the ref()/source() in kwargs.model. */
function attachedFromKwargs(ctx: Ctx, kwargs: Json, j: Json): string | undefined {
  const deps = strs(obj(j.depends_on)?.nodes);
  const call = typeof kwargs.model === 'string' ? parseRefString(kwargs.model) : undefined;
  if (call && 'source' in call) return deps.find(d => d.startsWith('source.') && d.endsWith(`.${call.source}.${call.table}`)) ?? deps[0];
  if (call) return deps.find(d => REFABLE.has(d.split('.')[0]) && (str(ctx.all.get(d)?.name) ?? d.split('.')[2]) === call.name) ?? deps[0];
  return deps[0];
}

/** The test's own line in the YAML declaring it, else the tested column's (or model's/source's) entry. */
function testLocation(ctx: Ctx, file: string, attached: string | undefined, column: string | undefined, test: string): SourceRange {
  const target = attached ? ctx.all.get(attached) : undefined;
  const type = attached?.split('.')[0] ?? '';
  const section = SECTION[type];
  if (!target || !section) return { path: file, startLine: 1, endLine: 1 };
  const name = type === 'source' ? `${str(target.source_name)}.${str(target.name)}` : str(target.name) ?? '';
  return ctx.loc.yamlRange(file, section, name, column, test);
}

function convertSource(ctx: Ctx, id: string, j: Json): DbtNode {
  const n = base(ctx, id, j, 'source');
  const sourceName = str(j.source_name) ?? id.split('.')[2];
  const file = filePath(ctx, n, j);
  const key = `${sourceName}.${n.name}`;
  n.location = ctx.loc.yamlRange(file, 'sources', key);
  n.columns = columns(j.columns, c => ctx.loc.yamlRange(file, 'sources', key, c));
  n.relation = relationOf(j, str(j.identifier) ?? n.name);
  const freshness = obj(j.freshness);
  n.props = defined({
    source_name: sourceName,
    source_description: str(j.source_description),
    loader: str(j.loader),
    loaded_at_field: str(j.loaded_at_field),
    freshness: hasFreshness(freshness) ? freshness : undefined,
    identifier: str(j.identifier),
    schema: str(j.schema),
    database: str(j.database),
    external: isEmpty(j.external) ? undefined : j.external,
    source_meta: isEmpty(j.source_meta) ? undefined : j.source_meta,
    relation_name: str(j.relation_name),
    package: n.project !== ctx.info.name ? n.project : undefined,
  });
  return n;
}

/** dbt writes `{warn_after: {count: null, period: null}, ...}` for sources without freshness. */
function hasFreshness(f: Json | undefined): boolean {
  return !!f && ['warn_after', 'error_after'].some(k => {
    const count = obj(f[k])?.count;
    return count !== null && count !== undefined;
  });
}

/** The project's macros, and those of installed packages (marked props.package); dbt's own internals are skipped. */
function convertMacro(ctx: Ctx, id: string, j: Json): DbtNode | undefined {
  const pkg = str(j.package_name);
  if (!pkg || (pkg !== ctx.info.name && !ctx.loc.isInstalled(pkg))) return undefined;
  const n = base(ctx, id, j, 'macro');
  const file = filePath(ctx, n, j);
  const code = str(j.macro_sql);
  n.location = ctx.loc.findCode(file, code) ?? ctx.loc.blockRange(file, 'macro', n.name.replace(/^test_/, ''), code);
  const yamlFile = ctx.loc.patchPath(str(j.patch_path));
  if (yamlFile) n.yamlLocation = ctx.loc.yamlRange(yamlFile, 'macros', n.name);
  if (code) { n.rawCode = code; n.language = 'sql'; }
  const documented = arr(j.arguments);
  n.props = defined({
    arguments: code ? signatureOf(code) : [],
    documentedArguments: documented.length ? documented : undefined,
    package: pkg !== ctx.info.name ? pkg : undefined,
  });
  return n;
}

/** `{% macro m(a, b=1) %}` → [{name:'a'}, {name:'b', default:'1'}] (the file parser's shape). */
function signatureOf(code: string): { name: string; default?: string }[] {
  const open = /\{%-?\s*(?:macro|test)\s+\w+\s*\(/.exec(code);
  if (!open) return [];
  const args: string[] = [];
  let depth = 0, cur = '', quote = '';
  for (const ch of code.slice(open.index + open[0].length)) {
    if (quote) { cur += ch; if (ch === quote) quote = ''; continue; }
    if (ch === '"' || ch === "'") { quote = ch; cur += ch; continue; }
    if (ch === ')' && depth === 0) break;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) { args.push(cur); cur = ''; continue; }
    cur += ch;
  }
  args.push(cur);
  return args.map(a => a.trim()).filter(Boolean).map(a => {
    const eq = a.indexOf('=');
    return eq < 0 ? { name: a } : { name: a.slice(0, eq).trim(), default: a.slice(eq + 1).trim() };
  });
}

function convertYamlResource(ctx: Ctx, id: string, j: Json, type: ResourceType, section: YamlSection): DbtNode {
  const n = base(ctx, id, j, type);
  const file = filePath(ctx, n, j);
  n.location = ctx.loc.yamlRange(file, section, n.name);
  n.props = rest(j, COMMON_KEYS);
  return n;
}

function docBlocks(ctx: Ctx, docs: unknown): DocBlock[] {
  const out: DocBlock[] = [];
  for (const [, j] of entries(docs)) {
    const name = str(j.name);
    if (!name || j.package_name !== ctx.info.name) continue;
    const text = typeof j.block_contents === 'string' ? j.block_contents : '';
    const file = ctx.loc.wsPath(ctx.info.name, str(j.original_file_path) ?? str(j.path) ?? '');
    out.push({ name, project: ctx.info.name, text, location: ctx.loc.blockRange(file, 'docs', name, text) });
  }
  return out;
}

/** Copies each generic test's TestDef onto the column (or node) it tests, as the file parser has them. */
function attachTests(nodes: DbtNode[]): void {
  const byId = new Map(nodes.map(n => [n.uniqueId, n]));
  for (const t of nodes) {
    const target = typeof t.props.attachedTo === 'string' ? byId.get(t.props.attachedTo) : undefined;
    const def = t.tests[0];
    if (t.resourceType !== 'test' || !target || !def) continue;
    const col = def.column ? target.columns.find(c => c.name.toLowerCase() === def.column!.toLowerCase()) : undefined;
    if (col) col.tests.push(def);
    else target.tests.push(def);
  }
}
