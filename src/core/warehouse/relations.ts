// Where dbt puts a node in the warehouse: the schema rule of the default generate_schema_name macro and the
// identifier (alias or name). Shared by the local build (which creates relations) and the linker (which finds them).
import type { DbtNode } from '../types';

/** dbt's default generate_schema_name: `<target>_<custom>` when a custom schema is set, else the target schema. */
export function generateSchemaName(custom: string | undefined, targetSchema: string): string {
  return custom ? `${targetSchema}_${custom}` : targetSchema;
}

export function isBuilt(node: DbtNode): boolean {
  return node.resourceType === 'model' || node.resourceType === 'seed' || node.resourceType === 'snapshot';
}

/** Table/view name of a model, seed, snapshot or source. */
export function identifierOf(node: DbtNode): string {
  if (node.resourceType === 'source') return node.relation?.identifier || stringProp(node, 'identifier') || node.name;
  return node.config.alias || node.relation?.identifier || node.name;
}

/** Source name: props.source_name, else the third part of `source.<project>.<source>.<table>`. */
export function sourceNameOf(node: DbtNode): string {
  return stringProp(node, 'source_name') || stringProp(node, 'sourceName') || node.uniqueId.split('.')[2] || node.name;
}

/** Schema a source declares (relation or YAML `schema:`); dbt defaults it to the source name. */
export function declaredSourceSchema(node: DbtNode): string | undefined {
  return node.relation?.schema || stringProp(node, 'schema') || undefined;
}

/** A snapshot's legacy `target_schema` config, used as is (no generate_schema_name). */
export function snapshotTargetSchema(node: DbtNode): string | undefined {
  const v = node.config.other.target_schema ?? node.config.other['+target_schema'];
  return node.resourceType === 'snapshot' && typeof v === 'string' && v ? v : undefined;
}

function stringProp(node: DbtNode, key: string): string | undefined {
  const v = node.props[key];
  return typeof v === 'string' && v ? v : undefined;
}

/** `"schema"."name"`, quoted for DuckDB. */
export function quoteRelation(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

export function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
