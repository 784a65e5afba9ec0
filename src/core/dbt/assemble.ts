// assembleProject: merges per-file parses into one ParsedProject — YAML patches onto the nodes they
// document, config layers in dbt's order, doc() references resolved. Never mutates its inputs (they may
// come from a cache).

import type { ColumnDef, DbtNode, DbtProjectInfo, DocBlock, ParsedProject, Problem } from '../types';
import { isRecord, mergeConfigs, projectConfigFor, RawConfig, toNodeConfig } from './config';
import type { FileParse, YamlPatch } from './fileparse';
import { DOC_CALL, uniqueIdOf } from './nodes';
import { classifyPath, foldersUnder } from './paths';
import { SNAPSHOT_KEYS } from './snapshots';

interface Assembly {
  info: DbtProjectInfo;
  nodes: Map<string, DbtNode>;
  /** Config from the defining file (in-file config() or the YAML entry of a YAML-defined node). */
  fileConfigs: Map<string, RawConfig>;
  /** Config from the YAML patch documenting a node. */
  yamlConfigs: Map<string, RawConfig>;
  problems: Problem[];
}

export function assembleProject(info: DbtProjectInfo, parses: FileParse[]): ParsedProject {
  const sorted = [...parses].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const asm: Assembly = { info, nodes: new Map(), fileConfigs: new Map(), yamlConfigs: new Map(), problems: [] };
  for (const parse of sorted) {
    asm.problems.push(...parse.problems);
    addNodes(asm, parse);
  }
  const docBlocks = collectDocBlocks(sorted, asm.problems);
  const patched = applyPatches(asm, sorted.flatMap(p => p.patches));
  dropOrphanTests(asm, patched);
  for (const node of asm.nodes.values()) finishNode(asm, node);
  const nodes = [...asm.nodes.values()].sort((a, b) => (a.uniqueId < b.uniqueId ? -1 : a.uniqueId > b.uniqueId ? 1 : 0));
  resolveDocRefs(nodes, docBlocks, asm.problems);
  return { info, nodes, docBlocks, problems: asm.problems, origin: 'files' };
}

function addNodes(asm: Assembly, parse: FileParse): void {
  for (const original of parse.nodes) {
    const existing = asm.nodes.get(original.uniqueId);
    if (existing) {
      asm.problems.push({
        path: original.location?.path ?? parse.path,
        line: original.location?.startLine,
        severity: original.resourceType === 'test' ? 'warning' : 'error',
        message: `Two ${original.resourceType}s are named '${original.name}' (${where(existing)} and ${where(original)}); `
          + 'dbt requires unique names: rename one. The first one is kept.',
      });
      continue;
    }
    asm.nodes.set(original.uniqueId, copyNode(original));
    const cfg = parse.configs[original.uniqueId];
    if (cfg) asm.fileConfigs.set(original.uniqueId, cfg);
  }
}

/** A copy deep enough for what assembly changes (the parse may be cached and reused). */
function copyNode(node: DbtNode): DbtNode {
  return { ...node, props: { ...node.props }, columns: node.columns.map(c => ({ ...c })), refs: [...node.refs] };
}

function where(node: DbtNode): string {
  return node.location ? `${node.location.path}:${node.location.startLine}` : node.uniqueId;
}

function collectDocBlocks(parses: FileParse[], problems: Problem[]): DocBlock[] {
  const byName = new Map<string, DocBlock>();
  for (const block of parses.flatMap(p => p.docBlocks)) {
    const first = byName.get(block.name);
    if (first) {
      problems.push({
        path: block.location.path, line: block.location.startLine, severity: 'error',
        message: `Docs block '${block.name}' is defined twice (also ${first.location.path}:${first.location.startLine}); rename one.`,
      });
      continue;
    }
    byName.set(block.name, block);
  }
  return [...byName.values()];
}

// ---------------------------------------------------------------- patches

/** Applies patches; returns the uniqueIds patches were meant for (found or not) → the nodes they landed on. */
function applyPatches(asm: Assembly, patches: YamlPatch[]): Map<string, string[]> {
  const landed = new Map<string, string[]>();
  for (const patch of patches) {
    const intended = uniqueIdOf(patch.resourceType, asm.info.name, patch.name);
    if (landed.has(intended)) {
      asm.problems.push({
        path: patch.location.path, line: patch.location.startLine, severity: 'warning',
        message: `${patch.resourceType} '${patch.name}' is documented twice in YAML; dbt rejects that. Only the first entry is used.`,
      });
      continue;
    }
    const targets: string[] = [];
    if (asm.nodes.has(intended)) {
      applyPatch(asm, asm.nodes.get(intended)!, patch, patch.columns, patch.config);
      targets.push(intended);
    }
    for (const ver of patch.versions ?? []) {
      const id = uniqueIdOf('model', asm.info.name, ver.definedIn ?? `${patch.name}_v${ver.v}`);
      const node = asm.nodes.get(id);
      if (!node || targets.includes(id)) continue;
      applyPatch(asm, node, patch, ver.columns ?? patch.columns, mergeConfigs(patch.config, ver.config));
      node.props.version = ver.v;
      node.props.versionOf = patch.name;
      targets.push(id);
    }
    landed.set(intended, targets);
    if (!targets.length) {
      asm.problems.push({
        path: patch.location.path, line: patch.location.startLine, severity: 'warning',
        message: `YAML describes ${patch.resourceType} '${patch.name}', but no ${patch.resourceType} file of project `
          + `'${asm.info.name}' defines it; check the name or add the file. Its tests are ignored.`,
      });
    }
  }
  return landed;
}

function applyPatch(asm: Assembly, node: DbtNode, patch: YamlPatch, columns: ColumnDef[], config: RawConfig): void {
  if (patch.description !== undefined) node.description = patch.description;
  node.docRefs = [...patch.docRefs];
  node.yamlLocation = patch.location;
  node.columns = mergeColumns(node.columns, columns.map(c => ({ ...c })));
  node.tests = [...patch.tests];
  Object.assign(node.props, patch.props);
  asm.yamlConfigs.set(node.uniqueId, config);
}

/** YAML columns enrich columns the file already declares (seed headers) by name, case-insensitively. */
function mergeColumns(fromFile: ColumnDef[], fromYaml: ColumnDef[]): ColumnDef[] {
  if (!fromFile.length) return fromYaml;
  const yaml = new Map(fromYaml.map(c => [c.name.toLowerCase(), c]));
  const merged = fromFile.map(c => yaml.get(c.name.toLowerCase()) ?? c);
  const seen = new Set(fromFile.map(c => c.name.toLowerCase()));
  return [...merged, ...fromYaml.filter(c => !seen.has(c.name.toLowerCase()))];
}

/** Generic tests whose model is missing go (their patch was reported); tests on a versioned model move to a version. */
function dropOrphanTests(asm: Assembly, landed: Map<string, string[]>): void {
  for (const node of [...asm.nodes.values()]) {
    const attachedTo = node.props.attachedTo;
    if (node.resourceType !== 'test' || typeof attachedTo !== 'string' || asm.nodes.has(attachedTo)) continue;
    const moved = landed.get(attachedTo);
    if (!moved?.length) {
      asm.nodes.delete(node.uniqueId);
      continue;
    }
    const target = asm.nodes.get(moved[moved.length - 1])!;
    node.props.attachedTo = target.uniqueId;
    node.refs = node.refs.map((r, i) => (i === 0 ? { name: target.name } : r)); // refs[0] is the tested model
  }
}

// ---------------------------------------------------------------- config, relation, fqn

const PROJECT_BLOCK: Partial<Record<DbtNode['resourceType'], 'models' | 'seeds' | 'snapshots' | 'sources'>> = {
  model: 'models', seed: 'seeds', snapshot: 'snapshots', source: 'sources',
};

function finishNode(asm: Assembly, node: DbtNode): void {
  const path = configPath(asm.info, node);
  const block = PROJECT_BLOCK[node.resourceType];
  const raw = mergeConfigs(
    block ? projectConfigFor(asm.info, block, path) : undefined,
    asm.yamlConfigs.get(node.uniqueId),
    asm.fileConfigs.get(node.uniqueId),
  );
  node.config = toNodeConfig(raw);
  node.tags = node.config.tags;
  if (isRecord(raw.meta)) node.meta = { ...node.meta, ...raw.meta };
  if (node.resourceType !== 'source' && node.resourceType !== 'test') node.props.fqn = [asm.info.name, ...path];
  if (node.resourceType === 'model' || node.resourceType === 'seed' || node.resourceType === 'snapshot') {
    node.relation = relationOf(node, raw);
  }
  if (node.resourceType === 'snapshot') {
    for (const key of SNAPSHOT_KEYS) if (raw[key] !== undefined) node.props[key] = raw[key];
  }
}

/** Folders below the resource path, then the name; for sources, the source and table names. */
function configPath(info: DbtProjectInfo, node: DbtNode): string[] {
  if (node.resourceType === 'source') return [String(node.props.source_name), node.name];
  const file = node.location?.path;
  const where = file ? classifyPath(info, file) : undefined;
  return [...(where && file ? foldersUnder(where.base, file) : []), node.name];
}

function relationOf(node: DbtNode, raw: RawConfig): NonNullable<DbtNode['relation']> {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const rel: NonNullable<DbtNode['relation']> = { identifier: node.config.alias ?? node.name };
  const schema = node.config.schema ?? str(raw.target_schema);
  const database = node.config.database ?? str(raw.target_database);
  if (schema) rel.schema = schema;
  if (database) rel.database = database;
  return rel;
}

// ---------------------------------------------------------------- docs

/**
 * Replaces `{{ doc('x') }}` in node and column descriptions with the docs block text so answers can quote it;
 * the node keeps `docRefs` and its original text in `props.rawDescription`. Unknown blocks are reported.
 */
export function resolveDocRefs(nodes: DbtNode[], docBlocks: DocBlock[], problems: Problem[]): void {
  const docs = new Map(docBlocks.map(d => [d.name, d.text]));
  const resolve = (text: string, at: { path: string; startLine: number } | undefined): string =>
    text.replace(DOC_CALL, (whole, _q1, first: string, _q2, second: string | undefined) => {
      const name = second ?? first;
      const found = docs.get(name);
      if (found !== undefined) return found;
      problems.push({
        path: at?.path ?? '', line: at?.startLine, severity: 'warning',
        message: `doc('${name}') refers to a docs block that does not exist; add {% docs ${name} %} in a .md file under docs-paths.`,
      });
      return whole;
    });
  for (const node of nodes) {
    const at = node.yamlLocation ?? node.location;
    if (node.description?.includes('doc(')) {
      node.props.rawDescription = node.description;
      node.description = resolve(node.description, at);
    }
    for (const col of node.columns) {
      if (col.description?.includes('doc(')) col.description = resolve(col.description, col.location ?? at);
    }
    const sourceDescription = node.props.source_description;
    if (typeof sourceDescription === 'string' && sourceDescription.includes('doc(')) {
      node.props.source_description = resolve(sourceDescription, at);
    }
  }
}
