// Reading dbt YAML with source offsets, for edits that replace one scalar and leave every other byte alone.
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { TextEdit } from './types';

export type YamlDocs = Document.Parsed[];

/** The file's documents, or why it cannot be read (then nothing in it is edited). */
export function readYaml(text: string): { docs: YamlDocs; error?: string } {
  try {
    const docs = parseAllDocuments(text, { uniqueKeys: false }) as YamlDocs | { errors: unknown[] };
    if (!Array.isArray(docs)) return { docs: [], error: 'not a YAML stream' };
    const bad = docs.find(d => d.errors.length);
    return bad ? { docs, error: bad.errors[0].message.split('\n')[0] } : { docs };
  } catch (e) {
    return { docs: [], error: (e as Error).message };
  }
}

/** A scalar with the keys leading to it: ['models', 0, 'columns', 2, 'name']. */
export interface ScalarAt {
  node: Scalar;
  path: (string | number)[];
}

export function eachScalar(docs: YamlDocs, visit: (s: ScalarAt) => void): void {
  const walk = (node: unknown, at: (string | number)[]): void => {
    if (isScalar(node)) visit({ node, path: at });
    else if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        walk(pair.value, [...at, key]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...at, i]));
  };
  for (const d of docs) walk(d.contents, []);
}

/** Value node of `key` in a map (the last duplicate wins, as in dbt). */
export function mapGet(map: unknown, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  let found: Node | undefined;
  for (const pair of map.items) if (isScalar(pair.key) && String(pair.key.value) === key) found = (pair.value ?? undefined) as Node | undefined;
  return found;
}

export function scalarString(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

/** Items of a top-level list (`models:`, `sources:`) across documents. */
export function topLevelItems(docs: YamlDocs, key: string): YAMLMap[] {
  const out: YAMLMap[] = [];
  for (const d of docs) {
    const seq = mapGet(d.contents, key);
    if (isSeq(seq)) for (const it of seq.items) if (isMap(it)) out.push(it);
  }
  return out;
}

/** The map of a named entry: `models: - name: x`. */
export function namedItem(items: YAMLMap[], name: string): YAMLMap | undefined {
  return items.find(it => scalarString(mapGet(it, 'name'))?.toLowerCase() === name.toLowerCase());
}

/** An edit that replaces a scalar's value, keeping its quoting style (plain, 'single' or "double"). */
export function scalarEdit(text: string, node: Scalar, value: string): TextEdit | undefined {
  const r = node.range;
  if (!r) return undefined;
  const raw = text.slice(r[0], r[1]);
  if (raw.startsWith('"')) return { start: r[0], end: r[1], newText: JSON.stringify(value) };
  if (raw.startsWith("'")) return { start: r[0], end: r[1], newText: `'${value.replace(/'/g, "''")}'` };
  if (raw.startsWith('|') || raw.startsWith('>')) return undefined; // block scalars are never names
  return { start: r[0], end: r[1], newText: value };
}
