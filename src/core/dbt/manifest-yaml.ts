// Line ranges of the entries of a dbt properties YAML file, so manifest resources can cite file:line.
import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';

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

  /** Entry of `name` in `section` ('raw.orders' for a source table), or of one of its columns. */
  get(section: YamlSection, name: string, column?: string): LineRange | undefined {
    const key = `${section}:${name}`.toLowerCase();
    return this.ranges.get(column ? `${key}#${column.toLowerCase()}` : key);
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
    for (const col of this.items(item.get('columns', true))) this.set(`${key}#${nameOf(col)}`, col);
  }

  private items(v: unknown): YAMLMap[] {
    return isSeq(v) ? v.items.filter((i): i is YAMLMap => isMap(i) && typeof i.get('name') === 'string') : [];
  }

  private set(key: string, node: YAMLMap): void {
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
