// Plain-text descriptions of dbt nodes, shared by the index documents, offline answers and LLM prompts.
import type { ColumnDef, DbtNode, TestDef } from '../types';
import { sourceNameOf } from '../dbt/graph-node';

export function nodeSummary(node: DbtNode): string {
  const lines = [`${node.resourceType} ${displayName(node)} (project ${node.project})`];
  const cfg = configText(node);
  if (cfg) lines.push(`Config: ${cfg}`);
  if (node.description) lines.push(`Description: ${node.description}`);
  if (node.refs.length) lines.push(`Refs: ${node.refs.map(r => r.name).join(', ')}`);
  if (node.sources.length) lines.push(`Sources: ${node.sources.map(s => `${s.source}.${s.table}`).join(', ')}`);
  if (node.macros.length) lines.push(`Macros used: ${node.macros.join(', ')}`);
  if (node.tests.length) lines.push(`Tests: ${node.tests.map(testText).join('; ')}`);
  const props = propsText(node);
  if (props) lines.push(props);
  if (node.columns.length) lines.push(`Columns: ${node.columns.map(c => c.name).join(', ')}`);
  return lines.join('\n');
}

export function displayName(node: DbtNode): string {
  return node.resourceType === 'source' ? `${sourceNameOf(node)}.${node.name}` : node.name;
}

export function configText(node: DbtNode): string {
  const c = node.config;
  const parts: string[] = [];
  if (c.materialized) parts.push(`materialized=${c.materialized}`);
  if (c.incrementalStrategy) parts.push(`incremental_strategy=${c.incrementalStrategy}`);
  if (c.uniqueKey) parts.push(`unique_key=${Array.isArray(c.uniqueKey) ? c.uniqueKey.join(',') : c.uniqueKey}`);
  if (c.schema) parts.push(`schema=${c.schema}`);
  if (c.database) parts.push(`database=${c.database}`);
  if (c.alias) parts.push(`alias=${c.alias}`);
  if (c.tags.length) parts.push(`tags=${c.tags.join(',')}`);
  if (c.enabled === false) parts.push('enabled=false');
  return parts.join(', ');
}

export function testText(t: TestDef): string {
  const args = Object.entries(t.args).filter(([k]) => k !== 'column_name' && k !== 'model');
  const a = args.length ? `(${args.map(([k, v]) => `${k}: ${short(v)}`).join(', ')})` : '';
  return `${t.name}${t.column ? ` on ${t.column}` : ''}${a}`;
}

export function columnsText(cols: ColumnDef[]): string {
  return cols.map(c => {
    const tests = c.tests.length ? ` [tests: ${c.tests.map(t => t.name).join(', ')}]` : '';
    const type = c.dataType ? ` (${c.dataType})` : '';
    return `- ${c.name}${type}: ${c.description || '(undocumented)'}${tests}`;
  }).join('\n');
}

const PROP_KEYS = ['loader', 'database', 'schema', 'loaded_at_field', 'freshness', 'type', 'owner', 'url', 'maturity', 'label',
  'type_params', 'measures', 'dimensions', 'entities', 'arguments', 'strategy', 'updated_at', 'header', 'query_params'];

function propsText(node: DbtNode): string {
  const parts = PROP_KEYS.filter(k => node.props[k] !== undefined && node.props[k] !== null)
    .map(k => `${k}: ${short(node.props[k])}`);
  return parts.join('\n');
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s && s.length > 300 ? `${s.slice(0, 300)}…` : s ?? '';
}
