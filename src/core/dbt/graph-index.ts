// Lookup of nodes by what a person types: unique_id, name, 'source.table', 'pkg.name', relation, file path.
import type { DbtNode, ResourceType } from '../types';
import { compareVersions, latestVersionOf, refNameOf, sourceKeyOf, versionOf } from './graph-node';

export interface ResolveOptions {
  /** Prefer nodes of this project. */
  project?: string;
  /** Only these resource types. */
  types?: ResourceType[];
}

/** Order of preference when a name matches several kinds of node. */
const TYPE_RANK: Record<ResourceType, number> = {
  model: 0, seed: 1, snapshot: 2, source: 10, macro: 20, exposure: 30, metric: 40,
  semantic_model: 50, saved_query: 60, analysis: 70, test: 80,
};

const PATHLIKE = /[\\/]|\.(sql|py|csv|ya?ml|md)$/i;

/** One node per key is the rule, so a key holds the node itself and becomes a list only on a collision
 *  (15,000 test names would otherwise mean 15,000 one-element arrays to build and collect). */
type Slot = DbtNode | DbtNode[];

function push(map: Map<string, Slot>, key: string, node: DbtNode): void {
  const k = key.toLowerCase();
  const slot = map.get(k);
  if (!slot) map.set(k, node);
  else if (!Array.isArray(slot)) { if (slot !== node) map.set(k, [slot, node]); }
  else if (!slot.includes(node)) slot.push(node);
}

function list(slot: Slot | undefined): DbtNode[] {
  return !slot ? [] : Array.isArray(slot) ? slot : [slot];
}

function normPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/{2,}/g, '/');
}

/** Strips the quotes of `"db"."schema"."table"` / `` `t` `` / `[t]`. */
function unquote(q: string): string {
  return q.replace(/["`[\]]/g, '');
}

export class NodeIndex {
  private readonly ids = new Map<string, DbtNode>();
  private readonly paths = new Map<string, Slot>();
  private readonly names = new Map<string, Slot>();
  /** Bare table names of sources: matched after every stronger name. */
  private readonly weakNames = new Map<string, Slot>();
  private readonly relations = new Map<string, Slot>();

  /** projectRoot: workspace-relative folder of the node's dbt_project.yml ('' at the root). */
  add(node: DbtNode, projectRoot: string | undefined, opts: { pathIndexed: boolean }): void {
    this.ids.set(node.uniqueId.toLowerCase(), node);
    this.addNames(node);
    this.addRelation(node);
    if (opts.pathIndexed && node.location) this.addPath(node, node.location.path, projectRoot);
  }

  private addNames(node: DbtNode): void {
    if (node.resourceType === 'source') {
      push(this.names, sourceKeyOf(node), node);
      push(this.names, `${node.project}.${sourceKeyOf(node)}`, node);
      push(this.weakNames, node.name, node);
      return;
    }
    push(this.names, node.name, node);
    if (node.resourceType === 'test') return; // tests: unique_id and name are enough (there can be 15,000)
    push(this.names, `${node.project}.${node.name}`, node);
    const v = versionOf(node);
    if (v === undefined) return;
    const base = refNameOf(node);
    if (base !== node.name) {
      push(this.names, base, node);
      push(this.names, `${node.project}.${base}`, node);
    }
    push(this.names, `${base}.v${v}`, node);
  }

  private addRelation(node: DbtNode): void {
    const rel = node.relation;
    if (!rel?.identifier) return;
    push(this.relations, rel.identifier, node);
    if (rel.schema) push(this.relations, `${rel.schema}.${rel.identifier}`, node);
    if (rel.schema && rel.database) push(this.relations, `${rel.database}.${rel.schema}.${rel.identifier}`, node);
  }

  private addPath(node: DbtNode, path: string, projectRoot: string | undefined): void {
    const p = normPath(path);
    push(this.paths, p, node);
    if (projectRoot && p.startsWith(projectRoot + '/')) push(this.paths, p.slice(projectRoot.length + 1), node);
    const base = p.slice(p.lastIndexOf('/') + 1);
    if (base !== p) push(this.paths, base, node);
  }

  byId(id: string): DbtNode | undefined {
    return this.ids.get(id.toLowerCase());
  }

  /** Candidates in order of preference: one stage (id, path, name, source table, relation) at a time. */
  stages(query: string): DbtNode[][] {
    const q = query.trim();
    const lower = q.toLowerCase();
    const out: DbtNode[][] = [];
    const id = this.ids.get(lower);
    if (id) out.push([id]);
    if (PATHLIKE.test(q)) out.push(list(this.paths.get(normPath(lower))));
    out.push(list(this.names.get(lower)));
    out.push(list(this.weakNames.get(lower)));
    out.push(list(this.relations.get(unquote(lower))));
    return out;
  }

  /** Best match, or undefined. */
  resolve(query: string, opts: ResolveOptions = {}): DbtNode | undefined {
    for (const stage of this.stages(query)) {
      const hits = filterAndRank(stage, opts);
      if (hits.length) return hits[0];
    }
    return undefined;
  }

  /** Every match of every stage, best first, without duplicates. */
  findAll(query: string, opts: ResolveOptions = {}): DbtNode[] {
    const seen = new Set<DbtNode>();
    const out: DbtNode[] = [];
    for (const stage of this.stages(query)) {
      for (const n of filterAndRank(stage, opts)) if (!seen.has(n)) { seen.add(n); out.push(n); }
    }
    return out;
  }
}

function filterAndRank(nodes: DbtNode[], opts: ResolveOptions): DbtNode[] {
  const types = opts.types?.length ? new Set(opts.types) : undefined;
  const list = types ? nodes.filter(n => types.has(n.resourceType)) : nodes.slice();
  if (list.length < 2) return list;
  return list.sort((a, b) => compareNodes(a, b, opts.project));
}

/** Type group first (ref-able < source < macro < ...), then the preferred project, then latest version. */
function compareNodes(a: DbtNode, b: DbtNode, project: string | undefined): number {
  const ga = Math.floor(TYPE_RANK[a.resourceType] / 10), gb = Math.floor(TYPE_RANK[b.resourceType] / 10);
  if (ga !== gb) return ga - gb;
  if (project) {
    const pa = a.project === project ? 0 : 1, pb = b.project === project ? 0 : 1;
    if (pa !== pb) return pa - pb;
  }
  if (a.resourceType !== b.resourceType) return TYPE_RANK[a.resourceType] - TYPE_RANK[b.resourceType];
  return versionRank(b) - versionRank(a);
}

/** Higher is preferred: the declared latest version, then higher versions; unversioned nodes count as latest. */
function versionRank(n: DbtNode): number {
  const v = versionOf(n);
  if (v === undefined) return Number.MAX_SAFE_INTEGER;
  const latest = latestVersionOf(n);
  if (latest !== undefined && compareVersions(v, latest) === 0) return Number.MAX_SAFE_INTEGER - 1;
  const num = Number(v);
  return Number.isFinite(num) ? num : 0;
}
