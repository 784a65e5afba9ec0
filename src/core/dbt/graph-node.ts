// Small readers of DbtNode facts that the file parser and the manifest reader may spell differently
// (props are "as written": snake_case from YAML/manifest, camelCase tolerated).
import type { DbtNode, RefCall, ResourceType, SourceCall } from '../types';

export const REFABLE_TYPES: readonly ResourceType[] = ['model', 'seed', 'snapshot'];
const REFABLE = new Set<ResourceType>(REFABLE_TYPES);

export function isRefable(node: DbtNode): boolean {
  return REFABLE.has(node.resourceType);
}

/** First defined prop among several spellings. */
export function prop(node: DbtNode, ...keys: string[]): unknown {
  for (const k of keys) {
    const v = node.props[k];
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

export function propString(node: DbtNode, ...keys: string[]): string | undefined {
  const v = prop(node, ...keys);
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Source name of a source node: props.source_name, else the third part of `source.<project>.<source>.<table>`. */
export function sourceNameOf(node: DbtNode): string {
  const p = propString(node, 'source_name', 'sourceName');
  if (p) return p;
  const parts = node.uniqueId.split('.');
  return parts.length >= 4 ? parts[2] : '';
}

/** `source.table` key of a source node. */
export function sourceKeyOf(node: DbtNode): string {
  return `${sourceNameOf(node)}.${node.name}`;
}

/** Version of a versioned model: props.version, else the `.v2` suffix of `model.<project>.<name>.v2`. */
export function versionOf(node: DbtNode): string | undefined {
  const v = propString(node, 'version');
  if (v !== undefined) return v;
  if (node.resourceType !== 'model') return undefined;
  const parts = node.uniqueId.split('.');
  return parts.length === 4 && /^v./.test(parts[3]) ? parts[3].slice(1) : undefined;
}

/** The name ref() uses: a versioned model parsed from files is named after its file (dim_customers_v2)
 *  and carries props.versionOf = 'dim_customers'; the manifest names it 'dim_customers' directly. */
export function refNameOf(node: DbtNode): string {
  return propString(node, 'versionOf') ?? node.name;
}

export function latestVersionOf(node: DbtNode): string | undefined {
  return propString(node, 'latest_version', 'latestVersion');
}

/** Compares versions numerically when both are numbers ('10' > '9'), else as text. */
export function compareVersions(a: string, b: string): number {
  const na = Number(a), nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `ref('pkg', 'name', v=2)` / `source('raw', 'orders')`, as a reader would write them. */
export function formatRef(call: RefCall | SourceCall): string {
  if ('source' in call) return `source('${call.source}', '${call.table}')`;
  const args = call.package ? `'${call.package}', '${call.name}'` : `'${call.name}'`;
  return call.version !== undefined && call.version !== '' ? `ref(${args}, v=${call.version})` : `ref(${args})`;
}

const CALL = /\b(ref|source)\s*\(\s*(['"])([^'"]+)\2\s*(?:,\s*(['"])([^'"]+)\4\s*)?(?:,\s*(?:v|version)\s*=\s*['"]?([\w.-]+)['"]?\s*)?\)/;

/** Parses the first `ref(...)`/`source(...)` call in a string such as `{{ get_where_subquery(ref('orders')) }}`. */
export function parseRefString(text: string): RefCall | SourceCall | undefined {
  const m = CALL.exec(text);
  if (!m) return undefined;
  if (m[1] === 'source') return m[5] ? { source: m[3], table: m[5] } : undefined;
  const call: RefCall = m[5] ? { package: m[3], name: m[5] } : { name: m[3] };
  if (m[6]) call.version = m[6];
  return call;
}
