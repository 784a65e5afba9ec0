// Line ranges of the entries of a dbt properties YAML file, so manifest resources can cite file:line.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';

export interface LineRange {
  startLine: number;
  endLine: number;
}

const SECTIONS = ['models', 'seeds', 'snapshots', 'analyses', 'macros', 'exposures', 'metrics', 'semantic_models', 'saved_queries'];

export type YamlSection = 'models' | 'seeds' | 'snapshots' | 'analyses' | 'macros' | 'exposures' | 'metrics'
  | 'semantic_models' | 'saved_queries' | 'sources';

export class YamlEntries {
  private readonly ranges = new Map<string, LineRange>();

  private constructor(private readonly text: string, private readonly lc: LineCounter) {}

  /** Never throws: a broken file yields whatever entries could be read. */
  static parse(text: string): YamlEntries {
    const lc = new LineCounter();
    const y = new YamlEntries(text, lc);
    try {
      const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
      if (isMap(doc.contents)) y.index(doc.contents);
    } catch {
      // A file dbt could parse is one we can parse; if not, citations fall back to line 1.
    }
    return y;
  }

  /** Entry of `name` in `section` ('raw.orders' for a source table), of one of its columns, or of a test
   *  ('unique', 'dbt_utils.expression_is_true') listed under that entry or column. */
  get(section: YamlSection, name: string, column?: string, test?: string): LineRange | undefined {
    let key = `${section}:${name}`.toLowerCase();
    if (column) key += `#${column.toLowerCase()}`;
    return this.ranges.get(test ? `${key}@${test.toLowerCase()}` : key);
  }

  private index(root: YAMLMap): void {
    for (const section of SECTIONS) {
      for (const item of this.items(root.get(section, true))) this.addEntry(`${section}:${nameOf(item)}`, item);
    }
    for (const src of this.items(root.get('sources', true))) {
      const srcName = nameOf(src);
      this.set(`sources:${srcName}`, src);
      for (const table of this.items(src.get('tables', true))) this.addEntry(`sources:${srcName}.${nameOf(table)}`, table);
    }
  }

  private addEntry(key: string, item: YAMLMap): void {
    this.set(key, item);
    this.addTests(key, item);
    for (const col of this.items(item.get('columns', true))) {
      this.set(`${key}#${nameOf(col)}`, col);
      this.addTests(`${key}#${nameOf(col)}`, col);
    }
  }

  /** `- unique`, `- relationships: {...}`, `- name: x \n test_name: y` under tests: / data_tests:. */
  private addTests(key: string, item: YAMLMap): void {
    for (const list of [item.get('data_tests', true), item.get('tests', true)]) {
      if (!isSeq(list)) continue;
      for (const t of list.items) {
        // A test is `- unique`, `- relationships: {...}`, or `- name: custom \n test_name: unique`.
        const name = isScalar(t) ? t.value : isMap(t) ? t.get('test_name') ?? (t.items[0]?.key as { value?: unknown })?.value : undefined;
        if (typeof name === 'string') this.set(`${key}@${name}`, t as { range?: [number, number, number] | null });
      }
    }
  }

  private items(v: unknown): YAMLMap[] {
    return isSeq(v) ? v.items.filter((i): i is YAMLMap => isMap(i) && typeof i.get('name') === 'string') : [];
  }

  private set(key: string, node: { range?: [number, number, number] | null }): void {
    const k = key.toLowerCase();
    if (!node.range || this.ranges.has(k)) return;
    const [start, end] = node.range;
    let last = end;
    while (last > start && /\s/.test(this.text[last - 1])) last--; // the range runs to the next line's start
    this.ranges.set(k, { startLine: this.lc.linePos(start).line, endLine: this.lc.linePos(Math.max(start, last - 1)).line });
  }
}

function nameOf(item: YAMLMap): string {
  return String(item.get('name'));
}
