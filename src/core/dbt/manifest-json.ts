// Typed reads of loosely shaped JSON (dbt artifacts differ across versions; nothing is trusted).

export type Json = Record<string, unknown>;

export function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

/** A non-empty string, else undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function strs(v: unknown): string[] {
  return arr(v).filter((s): s is string => typeof s === 'string');
}

/** [key, object] pairs of a map of objects, skipping malformed values. */
export function entries(v: unknown): [string, Json][] {
  const o = obj(v);
  if (!o) return [];
  const out: [string, Json][] = [];
  for (const [k, val] of Object.entries(o)) {
    const j = obj(val);
    if (j) out.push([k, j]);
  }
  return out;
}

/** True for null/undefined and empty objects/arrays/strings: noise in a manifest's resolved config. */
export function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  const o = obj(v);
  return !!o && Object.keys(o).length === 0;
}

/** Copy of `o` without the given keys and without empty values. */
export function rest(o: Json, omit: ReadonlySet<string>): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) if (!omit.has(k) && !isEmpty(v)) out[k] = v;
  return out;
}
