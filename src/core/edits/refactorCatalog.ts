// Lookups shared by the planners: which node a ref()/source() call or a hard-coded relation name means, and
// which columns a node is known to have (its YAML entry and the warehouse catalog).
import type { DbtNode, RefCall, SourceCall, WarehouseTable } from '../types';
import { isRefable, refNameOf, sourceNameOf, versionOf } from '../dbt/graph-node';
import { identifierOf } from '../warehouse/relations';
import type { WorkspaceSnapshot } from '../workspace/snapshot';

/** The catalog table a node builds or reads: linked by unique_id, else matched on schema + identifier. */
export function catalogTableOf(snap: WorkspaceSnapshot, node: DbtNode): WarehouseTable | undefined {
  const tables = snap.catalog?.tables ?? [];
  const linked = tables.find(t => t.nodeId === node.uniqueId);
  if (linked) return linked;
  const rel = node.relation;
  if (!rel?.identifier || !rel.schema) return undefined;
  const same = (a: string | undefined, b: string | undefined) => !a || !b || a.toLowerCase() === b.toLowerCase();
  return tables.find(t => t.name.toLowerCase() === rel.identifier.toLowerCase() && t.schema.toLowerCase() === rel.schema!.toLowerCase() && same(t.database, rel.database));
}

/** Column names (lower case) from the YAML entry and the catalog; undefined when neither knows any. */
export function knownColumns(snap: WorkspaceSnapshot, node: DbtNode): string[] | undefined {
  const names = new Set(node.columns.map(c => c.name.toLowerCase()));
  for (const c of catalogTableOf(snap, node)?.columns ?? []) names.add(c.name.toLowerCase());
  return names.size ? [...names] : undefined;
}

/** The model/seed/snapshot a ref() written in `project` resolves to (dbt's rules, simplified to one workspace). */
export function resolveRef(snap: WorkspaceSnapshot, project: string, call: RefCall): DbtNode | undefined {
  let cands = snap.graph.nodes().filter(n => isRefable(n) && refNameOf(n).toLowerCase() === call.name.toLowerCase());
  if (call.package) cands = cands.filter(n => n.project.toLowerCase() === call.package!.toLowerCase());
  else if (cands.some(n => n.project === project)) cands = cands.filter(n => n.project === project);
  if (call.version !== undefined) return cands.find(n => versionOf(n) === String(call.version));
  return cands.find(n => versionOf(n) === undefined) ?? cands[0];
}

export function resolveSource(snap: WorkspaceSnapshot, project: string, call: SourceCall): DbtNode | undefined {
  const cands = snap.graph.nodes().filter(n => n.resourceType === 'source' && sourceNameOf(n).toLowerCase() === call.source.toLowerCase()
    && n.name.toLowerCase() === call.table.toLowerCase());
  return cands.find(n => n.project === project) ?? cands[0];
}

export interface RelationMatch {
  node: DbtNode;
  kind: 'ref' | 'source';
}

/** Hard-coded `schema.table` / `db.schema.table` names → the nodes whose relation they are. */
export class RelationIndex {
  private readonly byName = new Map<string, RelationMatch[]>();

  constructor(snap: WorkspaceSnapshot) {
    for (const n of snap.graph.nodes()) {
      if (n.resourceType === 'source') this.addNode(n, 'source', n.relation?.database ?? str(n.props.database), n.relation?.schema ?? str(n.props.schema) ?? sourceNameOf(n), identifierOf(n));
      else if (isRefable(n)) this.addNode(n, 'ref', n.relation?.database, n.relation?.schema, identifierOf(n));
    }
    for (const t of snap.catalog?.tables ?? []) {
      const n = t.nodeId ? snap.graph.get(t.nodeId) : undefined;
      if (n && (isRefable(n) || n.resourceType === 'source')) this.addNode(n, n.resourceType === 'source' ? 'source' : 'ref', t.database, t.schema, t.name);
    }
  }

  private addNode(node: DbtNode, kind: RelationMatch['kind'], db: string | undefined, schema: string | undefined, name: string): void {
    if (!schema || !name) return;
    const keys = [`${schema}.${name}`];
    if (db) keys.push(`${db}.${schema}.${name}`);
    for (const k of keys.map(x => x.toLowerCase())) {
      const list = this.byName.get(k) ?? [];
      if (!list.some(m => m.node.uniqueId === node.uniqueId)) list.push({ node, kind });
      this.byName.set(k, list);
    }
  }

  /** Candidates for a dotted name (2 or 3 unquoted parts). A declared source beats a seed that loads the same table. */
  lookup(parts: string[]): RelationMatch[] {
    const found = this.byName.get(parts.join('.').toLowerCase()) ?? [];
    const sources = found.filter(m => m.kind === 'source');
    const models = found.filter(m => m.kind === 'ref' && m.node.resourceType !== 'seed');
    if (sources.length && !models.length) return sources;
    return found;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** `{{ ref('x') }}` / `{{ ref('pkg', 'x') }}` / `{{ source('s', 't') }}` for a node, as written from `project`. */
export function jinjaCallFor(node: DbtNode, project: string): string {
  if (node.resourceType === 'source') return `{{ source('${sourceNameOf(node)}', '${node.name}') }}`;
  const name = refNameOf(node);
  const v = versionOf(node);
  const args = node.project === project ? `'${name}'` : `'${node.project}', '${name}'`;
  return v !== undefined && node.props.versionOf ? `{{ ref(${args}, v=${/^\d+$/.test(v) ? v : `'${v}'`}) }}` : `{{ ref(${args}) }}`;
}
