// The facts documenting a node starts from: its output columns (from the SQL, else the catalog, the seed's header,
// the YAML), their warehouse types, and descriptions of same-named columns upstream (doc() references included).
import type { ColumnDef, DbtNode, SourceRange } from '../types';
import type { PlanContext } from './documentContext';
import { sqlOutputColumns } from './documentColumns';

export interface NodeColumns {
  /** Output columns in order. */
  names: string[];
  /** Warehouse types by lower-case name. */
  types: Map<string, string>;
  /** Where the names came from, in words. */
  origin: string;
  /** What could not be read (an unresolved `*`, ...). */
  gaps: string[];
  /** Set when the catalog's relation has other columns than the SQL (not rebuilt since the SQL changed?). */
  catalogDiffers?: string[];
}

const SNAPSHOT_META = ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'];

function unionNames(...lists: string[][]): string[] {
  const seen = new Set<string>();
  return lists.flat().filter(n => (seen.has(n.toLowerCase()) ? false : (seen.add(n.toLowerCase()), true)));
}

export function outputColumns(ctx: PlanContext, node: DbtNode): NodeColumns {
  const table = ctx.catalogTable(node);
  const catalog = table?.columns.map(c => c.name) ?? [];
  const types = new Map((table?.columns ?? []).map(c => [c.name.toLowerCase(), c.type]));
  const yaml = node.columns.map(c => c.name);
  const sqlNode = (node.resourceType === 'model' && node.language !== 'python') || node.resourceType === 'snapshot';
  if (sqlNode && node.rawCode) {
    const r = sqlOutputColumns(node.rawCode, call => ctx.upstreamColumns(node, call));
    const names = node.resourceType === 'snapshot' ? unionNames(r.names, SNAPSHOT_META) : r.names;
    if (r.complete) {
      const lower = new Set(names.map(n => n.toLowerCase()));
      const differs = catalog.length && (catalog.length !== names.length || catalog.some(c => !lower.has(c.toLowerCase())));
      return { names, types, origin: 'the SQL', gaps: [], ...(differs ? { catalogDiffers: catalog } : {}) };
    }
    if (catalog.length) return { names: catalog, types, origin: 'the warehouse catalog (the SQL could not be read completely)', gaps: r.gaps };
    return { names: unionNames(names, yaml), types, origin: 'the SQL, incompletely, and the YAML', gaps: r.gaps };
  }
  if (node.resourceType === 'seed') {
    const header = Array.isArray(node.props.header) ? (node.props.header as unknown[]).map(String) : [];
    return { names: unionNames(header.length ? header : catalog, yaml), types, origin: header.length ? 'the CSV header' : 'the warehouse catalog', gaps: [] };
  }
  if (catalog.length) return { names: unionNames(catalog, yaml), types, origin: 'the warehouse catalog', gaps: [] };
  return { names: yaml, types, origin: 'the YAML', gaps: catalog.length ? [] : ['the relation is not in the warehouse catalog'] };
}

export interface Inherited {
  text: string;
  from: DbtNode;
  column: ColumnDef;
  location?: SourceRange;
}

/** The description of the nearest upstream column with the same name, as written in its YAML: a `{{ doc() }}`
 *  reference stays a reference (the graph holds the rendered text). */
export async function inheritDescription(ctx: PlanContext, node: DbtNode, column: string): Promise<Inherited | undefined> {
  const want = column.toLowerCase();
  for (const hit of ctx.snap.graph.upstream(node.uniqueId, Infinity)) {
    const up = hit.node;
    if (!['model', 'seed', 'snapshot', 'source'].includes(up.resourceType)) continue;
    const c = up.columns.find(x => x.name.toLowerCase() === want && x.description?.trim());
    if (!c) continue;
    const text = c.docRefs.length ? await rawDescription(ctx, up, c) : c.description!.trim();
    if (text) return { text, from: up, column: c, location: c.location };
  }
  return undefined;
}

/** A column's description as its YAML file writes it; undefined when the file or entry cannot be read. */
async function rawDescription(ctx: PlanContext, node: DbtNode, column: ColumnDef): Promise<string | undefined> {
  const info = ctx.info(node);
  const target = ctx.entryTarget(node);
  const file = column.location?.path;
  if (!info || !target || !file) return undefined;
  const ed = await ctx.editor(file, await ctx.conventions(info));
  return ed.description(target, column.name) || undefined;
}

/** Whether the node's contract needs `data_type` on every column. */
export function contractEnforced(node: DbtNode): boolean {
  const c = node.config.other.contract as { enforced?: unknown } | undefined;
  return !!c && typeof c === 'object' && c.enforced === true;
}
