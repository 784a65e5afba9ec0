// Reading a `yaml` Document tree with line ranges: keys looked up the way PyYAML (dbt) sees them —
// the last duplicate key wins, `<<` merge keys and aliases resolve.

import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import type { SourceRange } from '../types';

export class YamlReader {
  private readonly fieldCache = new WeakMap<YAMLMap, Map<string, Node | undefined>>();

  constructor(
    readonly doc: Document,
    private readonly lc: LineCounter,
    readonly path: string,
    private readonly src: string,
  ) {}

  resolve(n: unknown): Node | undefined {
    let cur = n;
    for (let hops = 0; isAlias(cur) && hops < 32; hops++) cur = cur.resolve(this.doc);
    return cur && typeof cur === 'object' && !isAlias(cur) ? (cur as Node) : undefined;
  }

  /** Value node of `key` in a map: the last occurrence wins; own keys beat keys merged in with `<<`. */
  get(map: unknown, key: string): Node | undefined {
    const m = this.resolve(map);
    return isMap(m) ? this.fields(m).get(key) : undefined;
  }

  has(map: unknown, key: string): boolean {
    const m = this.resolve(map);
    return isMap(m) && this.fields(m).has(key);
  }

  /** Own and merged keys of a map, each once. */
  keys(map: unknown): string[] {
    const m = this.resolve(map);
    return isMap(m) ? [...this.fields(m).keys()] : [];
  }

  /** Key → value node of a map, built once per map (maps are read many times: keep lookups O(1)). */
  private fields(m: YAMLMap): Map<string, Node | undefined> {
    const cached = this.fieldCache.get(m);
    if (cached) return cached;
    const own = new Map<string, Node | undefined>();
    const merged = new Map<string, Node | undefined>();
    this.fieldCache.set(m, own); // guards against alias cycles
    for (const pair of m.items) {
      const k = keyOf(pair);
      if (k === '<<') {
        const v = this.resolve(pair.value);
        for (const src of isSeq(v) ? v.items : [v]) {
          const sm = this.resolve(src);
          if (!isMap(sm)) continue;
          // Among merged maps the first one listed wins, as YAML specifies.
          for (const [mk, mv] of this.fields(sm)) if (!merged.has(mk)) merged.set(mk, mv);
        }
      } else if (k !== undefined) {
        own.set(k, this.resolve(pair.value));
      }
    }
    for (const [mk, mv] of merged) if (!own.has(mk)) own.set(mk, mv);
    return own;
  }

  items(seq: unknown): Node[] {
    const s = this.resolve(seq);
    if (!isSeq(s)) return [];
    return s.items.map(it => this.resolve(it)).filter((it): it is Node => it !== undefined);
  }

  isMap(n: unknown): n is YAMLMap {
    return isMap(this.resolve(n));
  }

  isSeq(n: unknown): boolean {
    return isSeq(this.resolve(n));
  }

  /** A scalar as a string (numbers too: `name: 2024` is a name); undefined for null, maps and lists. */
  str(n: unknown): string | undefined {
    const s = this.resolve(n);
    if (!isScalar(s) || s.value === null || s.value === undefined) return undefined;
    return typeof s.value === 'object' ? undefined : String(s.value);
  }

  /** Plain JS value of a node (maps → objects, aliases resolved). */
  js(n: unknown): unknown {
    const node = this.resolve(n);
    if (!node) return undefined;
    return node.toJS(this.doc, { maxAliasCount: 1000 });
  }

  /** Plain JS value of a child key. */
  jsOf(map: unknown, key: string): unknown {
    return this.js(this.get(map, key));
  }

  line(n: unknown): number {
    const node = n as Node | undefined;
    return node?.range ? this.lc.linePos(node.range[0]).line : 1;
  }

  range(n: unknown): SourceRange {
    const node = n as Node | undefined;
    if (!node?.range) return { path: this.path, startLine: 1, endLine: 1 };
    const [start, valueEnd] = node.range;
    let end = Math.min(valueEnd, this.src.length) - 1;
    while (end > start && /\s/.test(this.src[end])) end--;
    return { path: this.path, startLine: this.lc.linePos(start).line, endLine: this.lc.linePos(Math.max(end, start)).line };
  }
}

function keyOf(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) {
    if (typeof k.value === 'symbol' || k.source === '<<') return '<<';
    return k.value === null || k.value === undefined ? undefined : String(k.value);
  }
  return typeof k === 'string' ? k : undefined;
}
