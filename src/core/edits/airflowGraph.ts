// The task graph of an Airflow DAG for a dbt project: which nodes run as tasks (enabled models that build
// something, seeds, snapshots), their dependencies through dbt's lineage (looking through ephemeral models), and
// for selector groups the folder/tag groups with the dependencies between groups (groups caught in a cycle merged).
import type { DbtNode } from '../types';
import type { LineageGraph } from '../dbt/graph';
import { foldersUnder, isUnder } from '../dbt/paths';
import type { DbtProjectInfo } from '../types';

const TASK_TYPES = new Set(['model', 'seed', 'snapshot']);

export function isTaskNode(n: DbtNode, project: string): boolean {
  return TASK_TYPES.has(n.resourceType) && n.project === project && n.config.enabled !== false && n.config.materialized !== 'ephemeral';
}

export interface TaskGraph {
  /** Task nodes, parents first; ties broken by name so the output never depends on file order. */
  order: DbtNode[];
  /** unique_id → unique_ids of the task nodes it waits for. */
  parents: Map<string, string[]>;
}

/** Nearest task-node ancestors of a node, looking through nodes that are not tasks (ephemeral models). */
function taskParents(graph: LineageGraph, id: string, isTask: (n: DbtNode) => boolean): string[] {
  const out = new Set<string>();
  const seen = new Set<string>([id]);
  const stack = graph.upstream(id, 1).map(h => h.node);
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n.uniqueId)) continue;
    seen.add(n.uniqueId);
    if (isTask(n)) out.add(n.uniqueId);
    else if (n.resourceType === 'model' || n.resourceType === 'snapshot') stack.push(...graph.upstream(n.uniqueId, 1).map(h => h.node));
  }
  return [...out].sort();
}

export function taskGraph(graph: LineageGraph, project: string): TaskGraph {
  const isTask = (n: DbtNode) => isTaskNode(n, project);
  const nodes = graph.nodes().filter(isTask);
  const parents = new Map(nodes.map(n => [n.uniqueId, taskParents(graph, n.uniqueId, isTask)]));
  return { order: kahn(nodes, n => n.uniqueId, n => parents.get(n.uniqueId) ?? [], n => n.name), parents };
}

/** Topological order, ready items taken by name; items in cycles come last in name order. */
export function kahn<T>(items: T[], id: (t: T) => string, deps: (t: T) => string[], name: (t: T) => string): T[] {
  const byId = new Map(items.map(t => [id(t), t]));
  const indeg = new Map(items.map(t => [id(t), deps(t).filter(d => byId.has(d)).length]));
  const children = new Map<string, string[]>();
  for (const t of items) for (const d of deps(t)) if (byId.has(d)) children.set(d, [...(children.get(d) ?? []), id(t)]);
  const ready = items.filter(t => indeg.get(id(t)) === 0).sort((a, b) => name(a).localeCompare(name(b)));
  const out: T[] = [];
  while (ready.length) {
    const t = ready.shift()!;
    out.push(t);
    for (const c of children.get(id(t)) ?? []) {
      const left = indeg.get(c)! - 1;
      indeg.set(c, left);
      if (left === 0) {
        ready.push(byId.get(c)!);
        ready.sort((a, b) => name(a).localeCompare(name(b)));
      }
    }
  }
  const rest = items.filter(t => !out.includes(t)).sort((a, b) => name(a).localeCompare(name(b)));
  return [...out, ...rest];
}

// ---------------------------------------------------------------- selector groups

export interface TaskGroupSpec {
  /** Airflow group id. */
  id: string;
  /** What it stands for, for the comment: 'models/staging/shop', 'tag:finance'. */
  label: string;
  /** dbt --select arguments and --exclude arguments. */
  select: string[];
  exclude: string[];
  members: DbtNode[];
  /** Group ids it waits for. */
  after: string[];
}

/** The folder a node is grouped under: its folder path, cut to `depth` levels below its resource folder. */
function folderKey(n: DbtNode, info: DbtProjectInfo, depth: number): string {
  const p = n.location?.path ?? '';
  const roots = n.resourceType === 'seed' ? info.seedPaths : n.resourceType === 'snapshot' ? info.snapshotPaths : info.modelPaths;
  const base = roots.find(r => isUnder(p, r)) ?? roots[0] ?? '';
  const folders = foldersUnder(base, p).slice(0, depth);
  return [base, ...folders].filter(Boolean).join('/');
}

/** The selector path, relative to the project folder (dbt resolves `path:` from there). */
function projectRelative(info: DbtProjectInfo, p: string): string {
  return info.root && p.startsWith(`${info.root}/`) ? p.slice(info.root.length + 1) : p;
}

function groupId(label: string): string {
  return label.replace(/^tag:/, 'tag_').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'group';
}

export function folderGroups(graph: LineageGraph, info: DbtProjectInfo, depth = Infinity): TaskGroupSpec[] {
  const tg = taskGraph(graph, info.name);
  const byKey = new Map<string, DbtNode[]>();
  for (const n of tg.order) {
    const k = folderKey(n, info, depth);
    byKey.set(k, [...(byKey.get(k) ?? []), n]);
  }
  const keys = [...byKey.keys()].sort();
  const groups = keys.map(k => {
    // `path:` selects a folder recursively: sub-folders that are groups of their own are excluded.
    const subs = keys.filter(o => o !== k && isUnder(o, k) && !keys.some(m => m !== k && m !== o && isUnder(o, m) && isUnder(m, k)));
    return { id: groupId(projectRelative(info, k)), label: k, select: [`path:${projectRelative(info, k)}`], exclude: subs.map(s => `path:${projectRelative(info, s)}`), members: byKey.get(k)!, after: [] } as TaskGroupSpec;
  });
  return finishGroups(groups, tg);
}

export function tagGroups(graph: LineageGraph, info: DbtProjectInfo): TaskGroupSpec[] {
  const tg = taskGraph(graph, info.name);
  const first = (n: DbtNode) => n.config.tags[0] ?? n.tags[0];
  const byTag = new Map<string, DbtNode[]>();
  for (const n of tg.order) {
    const t = first(n) ?? '';
    byTag.set(t, [...(byTag.get(t) ?? []), n]);
  }
  const tags = [...byTag.keys()].filter(Boolean).sort();
  const groups: TaskGroupSpec[] = tags.map(t => {
    // A node carrying this tag but grouped under its first tag runs in that other group only.
    const elsewhere = tg.order.filter(n => first(n) !== t && [...n.config.tags, ...n.tags].includes(t)).map(n => n.name);
    return { id: groupId(`tag:${t}`), label: `tag:${t}`, select: [`tag:${t}`], exclude: [...new Set(elsewhere)].sort(), members: byTag.get(t)!, after: [] };
  });
  if (byTag.has('')) {
    groups.push({ id: 'untagged', label: 'untagged', select: [], exclude: tags.map(t => `tag:${t}`), members: byTag.get('')!, after: [] });
  }
  return finishGroups(groups, tg);
}

/** Dependencies between groups; groups that depend on each other are merged into one. */
function finishGroups(groups: TaskGroupSpec[], tg: TaskGraph): TaskGroupSpec[] {
  let current = groups;
  for (let round = 0; round < 5; round++) {
    const groupOf = new Map<string, TaskGroupSpec>();
    for (const g of current) for (const m of g.members) groupOf.set(m.uniqueId, g);
    for (const g of current) {
      const after = new Set<string>();
      for (const m of g.members) for (const p of tg.parents.get(m.uniqueId) ?? []) {
        const pg = groupOf.get(p);
        if (pg && pg !== g) after.add(pg.id);
      }
      g.after = [...after].sort();
    }
    const cycles = stronglyConnected(current);
    if (!cycles.length) break;
    current = mergeCycles(current, cycles);
  }
  return kahn(current, g => g.id, g => g.after, g => g.id);
}

function stronglyConnected(groups: TaskGroupSpec[]): string[][] {
  const byId = new Map(groups.map(g => [g.id, g]));
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>(), stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of byId.get(v)!.after) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const g of groups) if (!idx.has(g.id)) visit(g.id);
  return out;
}

function mergeCycles(groups: TaskGroupSpec[], cycles: string[][]): TaskGroupSpec[] {
  const out: TaskGroupSpec[] = [];
  const merged = new Set(cycles.flat());
  for (const g of groups) if (!merged.has(g.id)) out.push(g);
  for (const c of cycles) {
    const parts = groups.filter(g => c.includes(g.id));
    const select = [...new Set(parts.flatMap(p => p.select))];
    out.push({
      id: c.join('__'), label: parts.map(p => p.label).join(' + '), select,
      exclude: [...new Set(parts.flatMap(p => p.exclude))].filter(x => !select.includes(x)),
      members: parts.flatMap(p => p.members), after: [],
    });
  }
  return out;
}
