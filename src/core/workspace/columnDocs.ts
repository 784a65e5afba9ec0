// How well a model (source, seed, snapshot) documents its columns: which listed columns have a description, which
// do not, and which columns its warehouse table has that the YAML does not list.
import type { DbtNode, SourceRange } from '../types';
import type { WorkspaceSnapshot } from './snapshot';

export interface ColumnDocs {
  documented: string[];
  undocumented: string[];
  /** In the warehouse table but not in the YAML (compared case-insensitively, as warehouses fold case). */
  warehouseOnly: string[];
}

/** Node kinds whose YAML entry lists columns. */
export const DOCUMENTED_TYPES: ReadonlySet<string> = new Set(['model', 'source', 'seed', 'snapshot']);

export function columnDocs(snap: Pick<WorkspaceSnapshot, 'catalog'>, node: DbtNode): ColumnDocs {
  const documented = node.columns.filter(c => c.description?.trim()).map(c => c.name);
  const undocumented = node.columns.filter(c => !c.description?.trim()).map(c => c.name);
  const yamlNames = new Set(node.columns.map(c => c.name.toLowerCase()));
  const table = snap.catalog?.tables.find(t => t.nodeId === node.uniqueId);
  const warehouseOnly = (table?.columns ?? []).map(c => c.name).filter(n => !yamlNames.has(n.toLowerCase()));
  return { documented, undocumented, warehouseOnly };
}

/** Where a node is documented in YAML: its yamlLocation, or its location when YAML defines it (sources). */
export function yamlEntry(n: DbtNode): SourceRange | undefined {
  return n.yamlLocation ?? (n.location && /\.ya?ml$/.test(n.location.path) ? n.location : undefined);
}
