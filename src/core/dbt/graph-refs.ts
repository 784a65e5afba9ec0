// dbt's rules for turning ref()/source() calls into nodes, across the projects of one workspace.
import type { DbtNode, RefCall, SourceCall } from '../types';
import { compareVersions, isRefable, latestVersionOf, refNameOf, sourceKeyOf, versionOf } from './graph-node';

export type Resolution = { id: string } | { reason: string };

function add(map: Map<string, DbtNode[]>, key: string, node: DbtNode): void {
  const k = key.toLowerCase();
  const list = map.get(k);
  if (list) list.push(node);
  else map.set(k, [node]);
}

export class RefResolver {
  private readonly refable = new Map<string, DbtNode[]>();
  private readonly sources = new Map<string, DbtNode[]>();

  constructor(nodes: Iterable<DbtNode>, private readonly byId: (id: string) => DbtNode | undefined) {
    for (const n of nodes) {
      if (isRefable(n)) add(this.refable, refNameOf(n), n);
      else if (n.resourceType === 'source') add(this.sources, sourceKeyOf(n), n);
    }
  }

  /** ref('m'), ref('pkg','m'), ref('m', v=2); a name that is a unique_id matches exactly. */
  ref(from: DbtNode, call: RefCall): Resolution {
    const exact = this.byId(call.name);
    if (exact && exact.uniqueId === call.name) return { id: exact.uniqueId };
    let cands = this.refable.get(call.name.toLowerCase()) ?? [];
    if (call.package) {
      const pkg = call.package.toLowerCase();
      cands = cands.filter(n => n.project.toLowerCase() === pkg);
    } else {
      const picked = preferProject(cands, from.project);
      if ('reason' in picked) return picked;
      cands = picked.nodes;
    }
    if (!cands.length) return { reason: 'no model, seed or snapshot has that name' };
    const chosen = pickVersion(cands, call.version);
    return chosen ? { id: chosen.uniqueId } : { reason: `no version ${call.version} of that model` };
  }

  source(from: DbtNode, call: SourceCall): Resolution {
    const cands = this.sources.get(`${call.source}.${call.table}`.toLowerCase()) ?? [];
    if (!cands.length) return { reason: 'no source declares that table' };
    const picked = preferProject(cands, from.project);
    if ('reason' in picked) return picked;
    return { id: picked.nodes[0].uniqueId };
  }
}

/** The caller's own project wins; otherwise the name must belong to a single project. */
function preferProject(cands: DbtNode[], project: string): { nodes: DbtNode[] } | { reason: string } {
  const own = cands.filter(n => n.project === project);
  if (own.length) return { nodes: own };
  const projects = [...new Set(cands.map(n => n.project))];
  if (projects.length > 1) {
    return { reason: `ambiguous: defined in projects ${projects.join(', ')}; use the two-argument form ref('project', 'name')` };
  }
  return { nodes: cands };
}

/** A pinned version, else the declared latest version, else the highest one (dbt's rule). */
function pickVersion(cands: DbtNode[], version: string | undefined): DbtNode | undefined {
  if (version !== undefined && version !== '') {
    return cands.find(n => { const v = versionOf(n); return v !== undefined && compareVersions(v, String(version)) === 0; });
  }
  if (cands.length === 1) return cands[0];
  const unversioned = cands.find(n => versionOf(n) === undefined);
  if (unversioned) return unversioned;
  const latest = cands.find(n => { const l = latestVersionOf(n); return l !== undefined && compareVersions(versionOf(n)!, l) === 0; });
  if (latest) return latest;
  return cands.slice().sort((a, b) => compareVersions(versionOf(b)!, versionOf(a)!))[0];
}
