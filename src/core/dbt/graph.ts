// The lineage graph of every dbt project in the workspace: lookups, depth-limited lineage, tests, impact.
import type { DbtNode, DbtProjectInfo, ParsedProject, ResourceType, TestDef } from '../types';
import { grainOf, type Grain } from './graph-grain';
import { NodeIndex, type ResolveOptions } from './graph-index';
import { formatRef, REFABLE_TYPES } from './graph-node';
import { RefResolver } from './graph-refs';
import { measuresOf, semanticNeeds } from './graph-semantic';
import { genericInfoOf, mentionsColumn, synthesizeTest, testKey, type CoverageRecord, type TestCoverage } from './graph-tests';
import { findCycles, topoSort } from './graph-topo';

export type { Grain } from './graph-grain';
export type { ResolveOptions } from './graph-index';
export type { TestCoverage } from './graph-tests';

export interface LineageHit {
  node: DbtNode;
  /** 1 = direct parent/child. */
  depth: number;
}

export interface TraverseOptions {
  /** Include test nodes (excluded by default: they would drown the lineage). */
  includeTests?: boolean;
}

export interface UnresolvedRef {
  /** unique_id of the node making the call. */
  from: string;
  /** The call as written: ref('pkg', 'name'), source('raw', 'orders'). */
  ref: string;
  reason: string;
}

export interface ImpactReport {
  root: DbtNode;
  total: number;
  /** Downstream nodes (tests included) by resource type, each in BFS order with its depth. */
  byType: Partial<Record<ResourceType, LineageHit[]>>;
}

export interface TopoResult {
  /** Dependency order (parents first); nodes caught in cycles come last. */
  order: DbtNode[];
  /** Each cycle as the unique_ids of its members. */
  cycles: string[][];
}

interface MacroCall {
  caller: string;
  /** As written, lower case: 'dbt_utils.star' or 'star'. */
  call: string;
}

const SEMANTIC: ReadonlySet<ResourceType> = new Set<ResourceType>(['metric', 'semantic_model']);

export class LineageGraph {
  private readonly all: DbtNode[] = [];
  private readonly index = new NodeIndex();
  // Edge lists are arrays, not Sets: most are short, and 15,000 test nodes make Sets costly to build.
  private readonly parents = new Map<string, string[]>();
  private readonly children = new Map<string, string[]>();
  private readonly macroCalls = new Map<string, MacroCall[]>();
  private readonly unresolvedRefs: UnresolvedRef[] = [];
  private readonly infos = new Map<string, DbtProjectInfo>();
  private resolver!: RefResolver;
  /** Built on first use: only test questions need it, and it is a third of the build time. */
  private coverageIndex?: Map<string, CoverageRecord[]>;

  private constructor() {}

  static build(projects: ParsedProject[]): LineageGraph {
    const g = new LineageGraph();
    g.addNodes(projects);
    g.resolver = new RefResolver(g.all, id => g.index.byId(id));
    g.addRefEdges(g.resolver);
    g.addSemanticEdges();
    g.addMacroCalls();
    return g;
  }

  // ------------------------------------------------------------ building

  /** Real nodes (first unique_id wins), then a synthesized test node for each YAML test without one. */
  private addNodes(projects: ParsedProject[]): void {
    const realTests = new Map<string, number>();
    for (const p of projects) {
      this.infos.set(p.info.name, p.info);
      for (const n of p.nodes) {
        if (this.index.byId(n.uniqueId)) continue;
        this.all.push(n);
        const info = n.resourceType === 'test' ? genericInfoOf(n) : undefined;
        // A generic test's file is the YAML of the model it tests: its path names the model, not the test.
        this.index.add(n, p.info.root, { pathIndexed: !info?.testName });
        if (info?.testName && info.attachedId) {
          const k = testKey(info.attachedId, info.column, info.testName);
          realTests.set(k, (realTests.get(k) ?? 0) + 1);
        }
      }
    }
    this.synthesizeTests(realTests);
  }

  private synthesizeTests(realTests: Map<string, number>): void {
    const taken = new Set(this.all.map(n => n.uniqueId));
    const owners = this.all.filter(n => n.resourceType !== 'test' && n.resourceType !== 'macro');
    for (const owner of owners) {
      for (const c of owner.columns) for (const t of c.tests) this.addTestDef(owner, t, t.column ?? c.name, realTests, taken);
      for (const t of owner.tests) this.addTestDef(owner, t, t.column, realTests, taken);
    }
  }

  private addTestDef(owner: DbtNode, t: TestDef, column: string | undefined, realTests: Map<string, number>, taken: Set<string>): void {
    if (realTests.size) {
      const k = testKey(owner.uniqueId, column, t.name);
      const real = realTests.get(k) ?? 0;
      if (real > 0) { realTests.set(k, real - 1); return; }
    }
    const test = synthesizeTest(owner, t, column, taken);
    this.all.push(test);
    this.index.add(test, undefined, { pathIndexed: false });
    this.link(owner.uniqueId, test.uniqueId);
  }

  private link(parent: string, child: string): void {
    const p = this.parents.get(child);
    if (!p) this.parents.set(child, [parent]);
    else if (p.includes(parent)) return;
    else p.push(parent);
    const c = this.children.get(parent);
    if (!c) this.children.set(parent, [child]);
    else c.push(child);
  }

  private addRefEdges(resolver: RefResolver): void {
    for (const n of this.all) {
      if (n.resourceType === 'macro') continue; // a macro's ref() runs in its caller: no lineage of its own
      for (const call of n.refs) {
        const r = resolver.ref(n, call);
        if ('id' in r) this.link(r.id, n.uniqueId);
        else this.unresolvedRefs.push({ from: n.uniqueId, ref: formatRef(call), reason: r.reason });
      }
      for (const call of n.sources) {
        const r = resolver.source(n, call);
        if ('id' in r) this.link(r.id, n.uniqueId);
        else this.unresolvedRefs.push({ from: n.uniqueId, ref: formatRef(call), reason: r.reason });
      }
      if (n.props.synthesized) this.linkRelationshipTarget(n, resolver);
    }
  }

  /** A relationships test also depends on the node its `to:` names. */
  private linkRelationshipTarget(test: DbtNode, resolver: RefResolver): void {
    const to = test.tests[0]?.to;
    if (!to) return;
    const r = 'source' in to ? resolver.source(test, to) : resolver.ref(test, to);
    if ('id' in r) this.link(r.id, test.uniqueId);
    else this.unresolvedRefs.push({ from: test.uniqueId, ref: formatRef(to), reason: r.reason });
  }

  /** Metric → semantic model (through measure names), metric → metric, saved query / exposure → metric. */
  private addSemanticEdges(): void {
    const measureOwner = new Map<string, DbtNode[]>();
    const metrics = new Map<string, DbtNode[]>();
    for (const n of this.all) {
      for (const m of measuresOf(n)) pushTo(measureOwner, m.toLowerCase(), n);
      if (n.resourceType === 'metric') pushTo(metrics, n.name.toLowerCase(), n);
    }
    for (const n of this.all) {
      if (n.resourceType !== 'metric' && n.resourceType !== 'saved_query' && n.resourceType !== 'exposure') continue;
      const needs = semanticNeeds(n);
      for (const m of needs.measures) this.linkByName(measureOwner.get(m.toLowerCase()), n);
      for (const m of needs.metrics) this.linkByName(metrics.get(m.toLowerCase()), n);
    }
  }

  private linkByName(cands: DbtNode[] | undefined, child: DbtNode): void {
    if (!cands?.length) return;
    const own = cands.filter(c => c.project === child.project);
    const parent = (own.length ? own : cands)[0];
    if (parent.uniqueId !== child.uniqueId) this.link(parent.uniqueId, child.uniqueId);
  }

  private addMacroCalls(): void {
    for (const n of this.all) {
      for (const m of n.macros) {
        const call = m.toLowerCase().replace(/^macro\./, '');
        pushTo(this.macroCalls, call.slice(call.lastIndexOf('.') + 1), { caller: n.uniqueId, call });
      }
    }
  }

  private get coverage(): Map<string, CoverageRecord[]> {
    return (this.coverageIndex ??= this.buildCoverage());
  }

  private buildCoverage(): Map<string, CoverageRecord[]> {
    const coverage = new Map<string, CoverageRecord[]>();
    for (const t of this.all) {
      if (t.resourceType !== 'test') continue;
      const info = genericInfoOf(t);
      const parents = this.parents.get(t.uniqueId) ?? [];
      if (!info.testName) {
        for (const p of parents) pushTo(coverage, p, { node: t, testName: t.name, singular: true, viaRelationship: false });
        continue;
      }
      const toId = this.relationshipTarget(t, info.def, this.resolver);
      const attached = info.attachedId ?? parents.find(p => p !== toId) ?? parents[0];
      const base = { node: t, testName: info.testName, column: info.column, def: info.def, singular: false };
      if (attached) pushTo(coverage, attached, { ...base, viaRelationship: false });
      if (toId && toId !== attached) pushTo(coverage, toId, { ...base, viaRelationship: true });
    }
    return coverage;
  }

  private relationshipTarget(t: DbtNode, def: TestDef | undefined, resolver: RefResolver): string | undefined {
    const to = def?.to;
    if (!to) return undefined;
    const r = 'source' in to ? resolver.source(t, to) : resolver.ref(t, to);
    return 'id' in r ? r.id : undefined;
  }

  // ------------------------------------------------------------ lookups

  nodes(): DbtNode[] {
    return this.all;
  }

  get(uniqueId: string): DbtNode | undefined {
    return this.index.byId(uniqueId);
  }

  projectInfo(name: string): DbtProjectInfo | undefined {
    return this.infos.get(name);
  }

  /** unique_id, then path, then name ('orders', 'raw.orders', 'dbt_utils.star', 'orders.v2'), then relation. */
  resolve(nameOrId: string, opts?: ResolveOptions): DbtNode | undefined {
    return this.index.resolve(nameOrId, opts);
  }

  /** Every node the name could mean, best first: use it to tell the user a name is ambiguous. */
  findAll(name: string, opts?: ResolveOptions): DbtNode[] {
    return this.index.findAll(name, opts);
  }

  unresolved(): UnresolvedRef[] {
    return this.unresolvedRefs;
  }

  /** Nodes calling a macro: 'dbt_utils.star' matches that call (and bare star() inside dbt_utils);
   *  a bare 'star' matches every call whose last part is star. 'macro.pkg.name' is accepted too. */
  macroUsers(macroName: string): DbtNode[] {
    const q = macroName.trim().toLowerCase().replace(/^macro\./, '');
    const dot = q.lastIndexOf('.');
    const bare = q.slice(dot + 1);
    const pkg = dot >= 0 ? q.slice(0, dot) : undefined;
    const out = new Set<string>();
    for (const { caller, call } of this.macroCalls.get(bare) ?? []) {
      if (!pkg || call === q) out.add(caller);
      else if (call === bare && this.get(caller)?.project.toLowerCase() === pkg) out.add(caller);
    }
    return [...out].map(id => this.get(id)!).filter(Boolean);
  }

  // ------------------------------------------------------------ lineage

  private find(idOrName: string): DbtNode | undefined {
    return this.index.byId(idOrName) ?? this.index.resolve(idOrName);
  }

  private walk(id: string, depth: number, edges: Map<string, string[]>, opts: TraverseOptions): LineageHit[] {
    const start = this.find(id);
    if (!start) return [];
    const seen = new Set([start.uniqueId]);
    const out: LineageHit[] = [];
    let frontier = [start.uniqueId];
    for (let d = 1; d <= depth && frontier.length; d++) {
      const next: string[] = [];
      for (const cur of frontier) {
        for (const nb of edges.get(cur) ?? []) {
          if (seen.has(nb)) continue;
          seen.add(nb);
          const node = this.index.byId(nb);
          if (!node || (node.resourceType === 'test' && !opts.includeTests)) continue;
          out.push({ node, depth: d });
          next.push(nb);
        }
      }
      frontier = next;
    }
    return out;
  }

  /** Parents up to `depth` levels (Infinity for all), nearest first. Accepts a unique_id or a name. */
  upstream(id: string, depth = 1, opts: TraverseOptions = {}): LineageHit[] {
    return this.walk(id, depth, this.parents, opts);
  }

  downstream(id: string, depth = 1, opts: TraverseOptions = {}): LineageHit[] {
    return this.walk(id, depth, this.children, opts);
  }

  sourcesFeeding(id: string): DbtNode[] {
    return this.upstream(id, Infinity).map(h => h.node).filter(n => n.resourceType === 'source');
  }

  exposuresOf(id: string): DbtNode[] {
    return this.downstream(id, Infinity).map(h => h.node).filter(n => n.resourceType === 'exposure');
  }

  /** Semantic models and metrics built on the node, at any depth. */
  metricsOf(id: string): DbtNode[] {
    return this.downstream(id, Infinity).map(h => h.node).filter(n => SEMANTIC.has(n.resourceType));
  }

  /** "What breaks if I change X": everything downstream, tests included, grouped by type. */
  impactOf(id: string): ImpactReport | undefined {
    const root = this.find(id);
    if (!root) return undefined;
    const hits = this.downstream(root.uniqueId, Infinity, { includeTests: true });
    const byType: ImpactReport['byType'] = {};
    for (const h of hits) (byType[h.node.resourceType] ??= []).push(h);
    return { root, total: hits.length, byType };
  }

  /** Tests on the node (or one of its columns), singular tests that ref it, and relationships tests pointing
   *  to it (viaRelationship). Each is a copy of the test node with how it covers this node. */
  testsCovering(id: string, column?: string): TestCoverage[] {
    const node = this.find(id);
    let records = node ? this.coverage.get(node.uniqueId) ?? [] : [];
    if (column !== undefined) {
      const col = column.toLowerCase();
      records = records.filter(t => {
        if (t.singular) return mentionsColumn(t.node, column);
        if (t.viaRelationship) return String(t.def?.args.field ?? '').toLowerCase() === col;
        return t.column?.toLowerCase() === col;
      });
    }
    return records.map(r => ({ ...r.node, ...r }));
  }

  /** Models/seeds/snapshots (or the given types) parents first; cycles are reported, never looped on. */
  topoOrder(types: ResourceType[] = [...REFABLE_TYPES]): TopoResult {
    const wanted = new Set(types);
    const members = this.all.filter(n => wanted.has(n.resourceType));
    const deps = (id: string) => this.nearestIncluded(id, wanted);
    const { order, rest } = topoSort(members.map(n => n.uniqueId), deps);
    return {
      order: [...order, ...rest].map(id => this.index.byId(id)!),
      cycles: findCycles(rest, deps),
    };
  }

  /** Parents of id among the wanted types, looking through parents of other types (model → snapshot → model). */
  private nearestIncluded(id: string, wanted: Set<ResourceType>): string[] {
    const out = new Set<string>();
    const seen = new Set<string>();
    const stack = [...(this.parents.get(id) ?? [])];
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      const node = this.index.byId(p);
      if (!node || node.resourceType === 'test') continue;
      if (wanted.has(node.resourceType)) out.add(p);
      else stack.push(...(this.parents.get(p) ?? []));
    }
    return [...out];
  }

  grain(id: string): Grain | undefined {
    const node = this.find(id);
    return node ? grainOf(node, this.coverage.get(node.uniqueId) ?? []) : undefined;
  }
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
