// What the dbt-less local build will create, where, and in which order (from each node's refs).
import type { DbtNode, ParsedProject } from '../types';
import { declaredSourceSchema, generateSchemaName, identifierOf, quoteRelation, snapshotTargetSchema, sourceNameOf } from './relations';

/** Schema for a custom schema config (undefined when none): dbt's generate_schema_name. */
export type SchemaNamer = (customSchema: string | undefined) => string;

export interface PlannedRelation {
  node: DbtNode;
  schema: string;
  identifier: string;
  kind: 'table' | 'view';
  /** `"schema"."identifier"`. */
  sql: string;
}

/** A source table, backed in the local build by the seed of the same name. */
export interface PlannedSource {
  node: DbtNode;
  schema: string;
  identifier: string;
  sql: string;
  /** The backing seed; a view is created when the source's relation differs from the seed's. */
  seed?: PlannedRelation;
  /** Why the source cannot be backed. */
  missing?: string;
}

export interface BuildPlan {
  targetSchema: string;
  seeds: PlannedRelation[];
  /** Models and snapshots in dependency order. */
  models: PlannedRelation[];
  /** Nodes that could not be ordered (ref cycles), with the reason. */
  unordered: { node: DbtNode; reason: string }[];
  sources: PlannedSource[];
  /** Lower-cased name → relation, for ref(). */
  byName: Map<string, PlannedRelation>;
  /** Lower-cased `source.table` → source, for source(). */
  sourceByName: Map<string, PlannedSource>;
}

const VIEW_MATERIALIZATIONS = new Set(['view', 'ephemeral']);

export function planBuild(project: ParsedProject, targetSchema: string, schemaName: SchemaNamer = c => generateSchemaName(c, targetSchema)): BuildPlan {
  const enabled = project.nodes.filter(n => n.config.enabled !== false);
  const plan = (node: DbtNode): PlannedRelation => {
    const schema = snapshotTargetSchema(node) ?? schemaName(node.config.schema);
    const identifier = identifierOf(node);
    const view = node.resourceType === 'model' && VIEW_MATERIALIZATIONS.has(node.config.materialized ?? 'view');
    return { node, schema, identifier, kind: view ? 'view' : 'table', sql: quoteRelation(schema, identifier) };
  };
  const seeds = enabled.filter(n => n.resourceType === 'seed').map(plan);
  const buildable = enabled.filter(n => n.resourceType === 'model' || n.resourceType === 'snapshot').map(plan);
  const byName = new Map<string, PlannedRelation>();
  for (const r of [...seeds, ...buildable]) if (!byName.has(r.node.name.toLowerCase())) byName.set(r.node.name.toLowerCase(), r);

  const sources = enabled.filter(n => n.resourceType === 'source').map(n => planSource(n, seeds, targetSchema));
  const sourceByName = new Map(sources.map(s => [`${sourceNameOf(s.node)}.${s.node.name}`.toLowerCase(), s]));
  const { ordered, unordered } = orderByRefs(buildable, byName);
  return { targetSchema, seeds, models: ordered, unordered, sources, byName, sourceByName };
}

/** Sources live in the seeds' schema unless they declare their own; a seed named like the table backs them. */
function planSource(node: DbtNode, seeds: PlannedRelation[], targetSchema: string): PlannedSource {
  const identifier = identifierOf(node);
  const lower = (s: string) => s.toLowerCase();
  const seed = seeds.find(s => lower(s.node.name) === lower(identifier)) ?? seeds.find(s => lower(s.node.name) === lower(node.name));
  const schema = declaredSourceSchema(node) ?? seed?.schema ?? targetSchema;
  const planned: PlannedSource = { node, schema, identifier, sql: quoteRelation(schema, identifier), seed };
  if (!seed) {
    planned.missing = `source('${sourceNameOf(node)}', '${node.name}') has no seed named ${identifier} to back it in the local build: add a seed ${identifier}.csv or build with dbt`;
  }
  return planned;
}

/** Kahn's algorithm over the refs that point at other models/snapshots (seeds are built first anyway). */
function orderByRefs(nodes: PlannedRelation[], byName: Map<string, PlannedRelation>): { ordered: PlannedRelation[]; unordered: { node: DbtNode; reason: string }[] } {
  const deps = new Map<PlannedRelation, Set<PlannedRelation>>();
  for (const r of nodes) {
    const set = new Set<PlannedRelation>();
    for (const ref of r.node.refs) {
      const dep = byName.get(ref.name.toLowerCase());
      if (dep && dep !== r && dep.node.resourceType !== 'seed') set.add(dep);
    }
    deps.set(r, set);
  }
  const ordered: PlannedRelation[] = [];
  const done = new Set<PlannedRelation>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const r of nodes) {
      if (done.has(r) || [...deps.get(r)!].some(d => !done.has(d))) continue;
      ordered.push(r);
      done.add(r);
      progress = true;
    }
  }
  const rest = nodes.filter(r => !done.has(r));
  const names = rest.map(r => r.node.name).join(', ');
  return { ordered, unordered: rest.map(r => ({ node: r.node, reason: `is part of, or depends on, a ref() cycle among ${names}: break the cycle` })) };
}
