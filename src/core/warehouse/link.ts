// Links warehouse relations to the dbt nodes that build or declare them, by the names dbt would give them.
import type { DbtNode, WarehouseCatalog, WarehouseTable } from '../types';
import { declaredSourceSchema, generateSchemaName, identifierOf, isBuilt, snapshotTargetSchema, sourceNameOf } from './relations';

export interface LinkOptions {
  /** The profile target's schema: the base of generated schema names. */
  targetSchema?: string;
  /** The profile target's database, used for nodes that set none. */
  targetDatabase?: string;
}

interface Expectation {
  node: DbtNode;
  /** Lower-cased schemas the node may live in; empty when unknown (no target schema given). */
  schemas: Set<string>;
  database?: string;
}

/** Returns a copy of the catalog with `nodeId` set on every relation a node builds (model/seed/snapshot) or declares (source). */
export function linkCatalog(catalog: WarehouseCatalog, nodes: DbtNode[], opts: LinkOptions = {}): WarehouseCatalog {
  const byIdentifier = new Map<string, Expectation[]>();
  for (const node of nodes) {
    if (!isBuilt(node) && node.resourceType !== 'source') continue;
    if (node.config.enabled === false) continue;
    const key = identifierOf(node).toLowerCase();
    byIdentifier.set(key, [...(byIdentifier.get(key) ?? []), expect(node, opts)]);
  }
  const tablesPerName = new Map<string, number>();
  for (const t of catalog.tables) tablesPerName.set(t.name.toLowerCase(), (tablesPerName.get(t.name.toLowerCase()) ?? 0) + 1);

  const tables = catalog.tables.map(t => {
    const candidates = byIdentifier.get(t.name.toLowerCase()) ?? [];
    const unique = tablesPerName.get(t.name.toLowerCase()) === 1 && candidates.length === 1;
    const node = pick(t, candidates, unique);
    const { nodeId: _old, ...rest } = t;
    return node ? { ...rest, nodeId: node.uniqueId } : rest;
  });
  return { ...catalog, tables };
}

function expect(node: DbtNode, opts: LinkOptions): Expectation {
  const schemas = new Set<string>();
  const add = (s: string | undefined) => { if (s) schemas.add(s.toLowerCase()); };
  if (node.resourceType === 'source') {
    add(declaredSourceSchema(node) ?? sourceNameOf(node));
    return { node, schemas, database: lower(node.relation?.database ?? prop(node, 'database') ?? opts.targetDatabase) };
  }
  add(snapshotTargetSchema(node));
  add(node.relation?.schema);
  const custom = node.config.schema;
  add(custom); // a project overriding generate_schema_name often uses the custom schema as is
  if (opts.targetSchema) add(generateSchemaName(custom, opts.targetSchema));
  return { node, schemas, database: lower(node.config.database ?? node.relation?.database ?? opts.targetDatabase) };
}

/**
 * Best node for a table: a schema match beats an unknown schema, which beats a name-only match (allowed only when
 * the name is unambiguous on both sides); a differing known database excludes; builders beat sources.
 */
function pick(t: WarehouseTable, candidates: Expectation[], unique: boolean): DbtNode | undefined {
  let best: { node: DbtNode; score: number } | undefined;
  for (const c of candidates) {
    const db = t.database?.toLowerCase();
    if (c.database && db && c.database !== db) continue;
    const schemaScore = c.schemas.has(t.schema.toLowerCase()) ? 4 : c.schemas.size === 0 ? 2 : unique ? 1 : 0;
    if (!schemaScore) continue;
    const score = schemaScore * 10 + (isBuilt(c.node) ? 2 : 0) + (c.database && db ? 1 : 0);
    if (!best || score > best.score) best = { node: c.node, score };
  }
  return best?.node;
}

function prop(node: DbtNode, key: string): string | undefined {
  const v = node.props[key];
  return typeof v === 'string' && v ? v : undefined;
}

function lower(s: string | undefined): string | undefined {
  return s ? s.toLowerCase() : undefined;
}
