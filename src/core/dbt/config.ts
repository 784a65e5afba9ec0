// Node config: merging the layers dbt applies (dbt_project.yml folder config < YAML `config:` < in-file
// `config()`) and mapping the result onto NodeConfig.

import type { DbtProjectInfo, NodeConfig } from '../types';

/** Config keys and values as written (keys without the dbt_project.yml '+' prefix). */
export type RawConfig = Record<string, unknown>;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Tags accumulate across layers and meta dicts merge, as in dbt; every other key is overridden. */
export function mergeConfigs(...layers: (RawConfig | undefined)[]): RawConfig {
  const out: RawConfig = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (key === 'tags') out.tags = [...new Set([...toTags(out.tags), ...toTags(value)])];
      else if (key === 'meta' && isRecord(value)) out.meta = { ...(isRecord(out.meta) ? out.meta : {}), ...value };
      else out[key] = value;
    }
  }
  return out;
}

export function toTags(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter(x => typeof x === 'string' || typeof x === 'number').map(String);
  return [];
}

const STRING_KEYS: Record<string, 'materialized' | 'incrementalStrategy' | 'schema' | 'database' | 'alias'> = {
  materialized: 'materialized',
  incremental_strategy: 'incrementalStrategy',
  schema: 'schema',
  database: 'database',
  alias: 'alias',
};

/** Maps raw config onto NodeConfig; values of an unexpected type stay in `other` as written. */
export function toNodeConfig(raw: RawConfig): NodeConfig {
  const cfg: NodeConfig = { tags: toTags(raw.tags), other: {} };
  for (const [key, value] of Object.entries(raw)) {
    const strKey = STRING_KEYS[key];
    if (key === 'tags') continue;
    if (strKey && typeof value === 'string') cfg[strKey] = value;
    else if (key === 'unique_key' && isUniqueKey(value)) cfg.uniqueKey = value;
    else if (key === 'enabled' && typeof value === 'boolean') cfg.enabled = value;
    else cfg.other[key] = value;
  }
  return cfg;
}

function isUniqueKey(v: unknown): v is string | string[] {
  return typeof v === 'string' || (Array.isArray(v) && v.every(x => typeof x === 'string'));
}

/** Config values that are dicts themselves; any other un-prefixed dict key in dbt_project.yml is a folder. */
const DICT_CONFIGS = new Set([
  'meta', 'docs', 'grants', 'persist_docs', 'contract', 'column_types', 'quoting', 'snapshot_meta_column_names',
  'freshness', 'labels', 'partition_by', 'hours_to_expiration', 'event_time', 'lookback', 'batch_size', 'begin',
]);

/** Strips the '+' of dbt_project.yml keys. */
export function normalizeKeys(raw: RawConfig): RawConfig {
  const out: RawConfig = {};
  for (const [k, v] of Object.entries(raw)) out[k.startsWith('+') ? k.slice(1) : k] = v;
  return out;
}

/** The config keys declared directly at one level of a dbt_project.yml resource block. */
function levelConfig(level: Record<string, unknown>): RawConfig {
  const out: RawConfig = {};
  for (const [k, v] of Object.entries(level)) {
    if (k.startsWith('+')) out[k.slice(1)] = v;
    else if (!isRecord(v) || DICT_CONFIGS.has(k)) out[k] = v;
  }
  return out;
}

/**
 * Config that dbt_project.yml gives a node, walking `models:` (or seeds/snapshots/sources) through the
 * project name and then `path` (folders under the resource path, then the node name), deeper levels winning.
 */
export function projectConfigFor(
  info: DbtProjectInfo,
  resource: 'models' | 'seeds' | 'snapshots' | 'sources',
  path: string[],
): RawConfig {
  const root = info.resourceConfigs[resource];
  if (!isRecord(root)) return {};
  const layers: RawConfig[] = [levelConfig(root)];
  let level: unknown = root[info.name];
  for (let i = 0; isRecord(level); i++) {
    layers.push(levelConfig(level));
    if (i >= path.length) break;
    const key = path[i];
    level = level[key];
  }
  return mergeConfigs(...layers);
}
