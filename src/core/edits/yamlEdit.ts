// Editing dbt property YAML node by node. Every operation finds its node in the `yaml` Document of the current
// text, inserts or replaces only that node's text (rendered in the file's own style) and re-reads the result; the
// final TextEdits are the minimal difference to the original text. Comments, key order, quoting and formatting of
// everything not touched stay byte-identical. Nothing here ever removes an entry, a column or a test.
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Problem } from '../types';
import { applyEdits } from './apply';
import { diffToEdits } from './applyDiff';
import type { FileChange, TextEdit } from './types';
import { flowText, renderPair, renderSeqItem, renderValue, type YamlValue } from './yamlEditRender';
import { columnToYaml, describeTarget, entryToYaml, testIdentity, testToYaml, type ColumnSpec, type EntryKind, type EntrySpec, type EntryTarget, type TestSpec, type UpsertResult, type YamlEditOptions } from './yamlEditSpec';
import { columnOf, dashBefore, DEFAULT_STYLE, type YamlStyle } from './yamlEditStyle';
import { afterNode, beforeItemLine, contentEnd, lineEndFrom, restOfLineIsBlank } from './yamlEditText';

export { FlowList } from './yamlEditRender';
export type { YamlValue } from './yamlEditRender';
export { columnToYaml, describeTarget, entryToYaml, testIdentity, testToYaml } from './yamlEditSpec';
export type { ColumnSpec, EntryKind, EntrySpec, EntryTarget, TestSpec, UpsertResult, YamlEditOptions } from './yamlEditSpec';

interface Located {
  doc: Document;
  /** The entry's map (aliases resolved). */
  map: YAMLMap;
  /** True when the entry is an alias or comes from one: editing it would change other entries too. */
  shared: boolean;
}

const TEST_KEYS = ['data_tests', 'tests'] as const;
/** Keys of a test entry that are not the test's name (`- name: x\n  test_name: unique` and config keys). */
const TEST_META_KEYS = new Set(['name', 'test_name', 'config', 'description', 'where', 'severity', 'error_if', 'warn_if', 'tags', 'meta', 'limit', 'store_failures', 'enabled']);

function keyName(p: Pair): string | undefined {
  return isScalar(p.key) && p.key.value !== null && p.key.value !== undefined ? String(p.key.value) : undefined;
}

/** The last own pair with that key (PyYAML, hence dbt, keeps the last duplicate). */
function ownPair(map: YAMLMap, key: string): Pair | undefined {
  let found: Pair | undefined;
  for (const p of map.items) if (keyName(p) === key) found = p;
  return found;
}

function scalarString(n: unknown): string | undefined {
  return isScalar(n) && n.value !== null && n.value !== undefined && typeof n.value !== 'object' ? String(n.value) : undefined;
}

export class YamlFileEditor {
  readonly problems: Problem[] = [];
  private cur: string;
  private docs?: Document[] | null;

  /** `original` is the file's text ('' with exists=false for a file to create). */
  constructor(readonly path: string, readonly original: string, readonly style: YamlStyle = DEFAULT_STYLE, readonly exists = true) {
    this.cur = original;
  }

  get text(): string {
    return this.cur;
  }

  get changed(): boolean {
    return this.cur !== this.original;
  }

  /** Minimal edits from the original text to the current one. */
  edits(): TextEdit[] {
    return diffToEdits(this.original, this.cur);
  }

  /** The change to propose: a new file, or edits of the existing one; undefined when nothing changed. */
  change(): FileChange | undefined {
    if (!this.changed) return undefined;
    if (!this.exists) return { kind: 'create', path: this.path, text: this.cur };
    return { kind: 'modify', path: this.path, before: this.original, edits: this.edits() };
  }

  // ---------------------------------------------------------------- reading

  /** The current text's documents; null (and a problem) when it is not valid YAML. */
  private parsed(): Document[] | null {
    if (this.docs !== undefined) return this.docs;
    let docs: Document[];
    try {
      docs = [...parseAllDocuments(this.cur, { uniqueKeys: false, keepSourceTokens: true })] as Document[];
    } catch (e) {
      this.fail(`Cannot read ${this.path} as YAML (${(e as Error).message}); it was not edited. Fix the file and retry.`);
      return (this.docs = null);
    }
    const bad = docs.find(d => d.errors.length);
    if (bad) {
      const err = bad.errors[0];
      this.fail(`${this.path} is not valid YAML (${err.message.split('\n')[0]}); it was not edited. Fix the file and retry.`, err.linePos?.[0].line);
      return (this.docs = null);
    }
    return (this.docs = docs);
  }

  private fail(message: string, line?: number, severity: Problem['severity'] = 'error'): void {
    if (!this.problems.some(p => p.message === message)) this.problems.push({ path: this.path, line, message, severity });
  }

  private warn(message: string): void {
    this.fail(message, undefined, 'warning');
  }

  private resolve(doc: Document, n: unknown): Node | undefined {
    let cur = n;
    for (let hops = 0; isAlias(cur) && hops < 32; hops++) cur = cur.resolve(doc);
    return cur && typeof cur === 'object' && !isAlias(cur) ? (cur as Node) : undefined;
  }

  /** The pair of the top-level list `key`, in the first document that has it. */
  private topPair(key: string): { doc: Document; pair: Pair } | undefined {
    for (const doc of this.parsed() ?? []) {
      if (!isMap(doc.contents)) continue;
      const pair = ownPair(doc.contents, key);
      if (pair) return { doc, pair };
    }
    return undefined;
  }

  /** The map among `seq`'s items whose `name:` is `name` (exact, else case-insensitive). */
  private byName(doc: Document, seq: unknown, name: string): { map: YAMLMap; index: number; shared: boolean } | undefined {
    if (!isSeq(seq)) return undefined;
    const hits = seq.items.map((it, index) => {
      const map = this.resolve(doc, it);
      return isMap(map) ? { map, index, shared: isAlias(it), name: this.nameOf(doc, map) } : undefined;
    }).filter((h): h is NonNullable<typeof h> => !!h && h.name !== undefined);
    return hits.find(h => h.name === name) ?? hits.find(h => h.name!.toLowerCase() === name.toLowerCase());
  }

  private nameOf(doc: Document, map: YAMLMap): string | undefined {
    return scalarString(this.resolve(doc, this.fieldNode(doc, map, 'name')));
  }

  /** A field as dbt reads it: own key (last wins), else from a `<<` merge. */
  private fieldNode(doc: Document, map: YAMLMap, key: string): unknown {
    const own = ownPair(map, key);
    if (own) return own.value;
    for (const p of map.items) {
      if (keyName(p) !== '<<') continue;
      const v = this.resolve(doc, p.value);
      for (const src of isSeq(v) ? v.items : [v]) {
        const m = this.resolve(doc, src);
        if (isMap(m)) { const hit = ownPair(m, key); if (hit) return hit.value; }
      }
    }
    return undefined;
  }

  private locate(t: EntryTarget): Located | undefined {
    if (t.kind !== 'sources') {
      const top = this.topPair(t.kind);
      const hit = top && this.byName(top.doc, this.resolve(top.doc, top.pair.value), t.name);
      return hit ? { doc: top!.doc, map: hit.map, shared: hit.shared } : undefined;
    }
    const src = this.locateSource(t.source ?? '');
    if (!src) return undefined;
    const hit = this.byName(src.doc, this.resolve(src.doc, this.fieldNode(src.doc, src.map, 'tables')), t.name);
    return hit ? { doc: src.doc, map: hit.map, shared: hit.shared || src.shared } : undefined;
  }

  private locateSource(name: string): Located | undefined {
    const top = this.topPair('sources');
    const hit = top && this.byName(top.doc, this.resolve(top.doc, top.pair.value), name);
    return hit ? { doc: top!.doc, map: hit.map, shared: hit.shared } : undefined;
  }

  private locateColumn(t: EntryTarget, column: string): Located | undefined {
    const entry = this.locate(t);
    if (!entry) return undefined;
    const hit = this.byName(entry.doc, this.resolve(entry.doc, this.fieldNode(entry.doc, entry.map, 'columns')), column);
    return hit ? { doc: entry.doc, map: hit.map, shared: hit.shared || entry.shared } : undefined;
  }

  hasEntry(t: EntryTarget): boolean {
    return !!this.locate(t);
  }

  /** False when the current text is not valid YAML (a problem says why); nothing can be edited then. */
  isValid(): boolean {
    return this.parsed() !== null;
  }

  /** Names of the entry's columns as written (aliases resolved); undefined when the entry is missing. */
  columnNames(t: EntryTarget): string[] | undefined {
    const entry = this.locate(t);
    if (!entry) return undefined;
    const seq = this.resolve(entry.doc, this.fieldNode(entry.doc, entry.map, 'columns'));
    if (!isSeq(seq)) return [];
    return seq.items.map(it => { const m = this.resolve(entry.doc, it); return isMap(m) ? this.nameOf(entry.doc, m) : undefined; })
      .filter((n): n is string => !!n);
  }

  /** Identities (see testIdentity) of the tests on a column, or on the entry when `column` is undefined. */
  testIdentities(t: EntryTarget, column?: string): Set<string> {
    const at = column === undefined ? this.locate(t) : this.locateColumn(t, column);
    const out = new Set<string>();
    if (!at) return out;
    for (const key of TEST_KEYS) {
      const seq = this.resolve(at.doc, this.fieldNode(at.doc, at.map, key));
      if (!isSeq(seq)) continue;
      for (const it of seq.items) {
        const id = this.itemTestIdentity(at.doc, it);
        if (id) out.add(id);
      }
    }
    return out;
  }

  private itemTestIdentity(doc: Document, it: unknown): string | undefined {
    const n = this.resolve(doc, it);
    const name = scalarString(n);
    if (name) return testIdentity(name, undefined);
    if (!isMap(n)) return undefined;
    const js = n.toJS(doc, { maxAliasCount: 1000 }) as Record<string, unknown>;
    if (typeof js.test_name === 'string') return testIdentity(js.test_name, js);
    const key = Object.keys(js).find(k => !TEST_META_KEYS.has(k));
    if (!key) return undefined;
    const args = js[key];
    return testIdentity(key, args && typeof args === 'object' ? args as Record<string, unknown> : undefined);
  }

  /** The description as written ('' when empty or missing). */
  description(t: EntryTarget, column?: string): string {
    const at = column === undefined ? this.locate(t) : this.locateColumn(t, column);
    return at ? (scalarString(this.resolve(at.doc, this.fieldNode(at.doc, at.map, 'description'))) ?? '').trim() : '';
  }

  // ---------------------------------------------------------------- operations

  /** Adds the entry when it is missing, else merges into it: missing columns, descriptions, data types and tests. */
  upsert(t: EntryTarget, spec: EntrySpec, opts: YamlEditOptions = {}): UpsertResult {
    const r: UpsertResult = { createdEntry: false, addedColumns: [], described: [], addedTests: [], typed: [] };
    if (this.parsed() === null) return r;
    if (!this.locate(t)) {
      if (this.addEntry(t, spec, opts)) {
        r.createdEntry = true;
        if (spec.description?.trim()) r.described.push('');
        for (const c of spec.columns ?? []) {
          r.addedColumns.push(c.name);
          if (c.description?.trim()) r.described.push(c.name);
          if (c.dataType) r.typed.push(c.name);
          for (const test of c.tests ?? []) r.addedTests.push({ column: c.name, test: test.name });
        }
        for (const test of spec.tests ?? []) r.addedTests.push({ test: test.name });
      }
      return r;
    }
    if (spec.description && this.setDescription(t, undefined, spec.description, opts)) r.described.push('');
    for (const test of this.addTests(t, undefined, spec.tests ?? [], opts)) r.addedTests.push({ test });
    const existing = new Set((this.columnNames(t) ?? []).map(n => n.toLowerCase()));
    const missing = (spec.columns ?? []).filter(c => !existing.has(c.name.toLowerCase()));
    for (const c of this.addColumns(t, missing, opts)) {
      const col = missing.find(m => m.name === c)!;
      r.addedColumns.push(c);
      if (col.description?.trim()) r.described.push(c);
      if (col.dataType) r.typed.push(c);
      for (const test of col.tests ?? []) r.addedTests.push({ column: c, test: test.name });
    }
    for (const c of (spec.columns ?? []).filter(c => existing.has(c.name.toLowerCase()))) {
      if (c.description && this.setDescription(t, c.name, c.description, opts)) r.described.push(c.name);
      if (c.dataType && this.setColumnKey(t, c.name, 'data_type', c.dataType)) r.typed.push(c.name);
      for (const test of this.addTests(t, c.name, c.tests ?? [], opts)) r.addedTests.push({ column: c.name, test });
    }
    return r;
  }

  /** Adds an entry (or source table) that does not exist yet, creating the top-level list, the source or the file. */
  addEntry(t: EntryTarget, spec: EntrySpec, opts: YamlEditOptions = {}): boolean {
    if (this.parsed() === null) return false;
    if (this.locate(t)) {
      this.warn(`${describeTarget(t)} is already in ${this.path}; it was not added again.`);
      return false;
    }
    const entry = entryToYaml({ ...spec, name: t.name }, opts);
    if (t.kind !== 'sources') return this.appendToTopList(t.kind, entry);
    const source = this.locateSource(t.source ?? '');
    if (!source) return this.appendToTopList('sources', { name: t.source ?? '', tables: [entry] });
    if (source.shared) return this.refuseShared(`source ${t.source}`);
    return this.appendToMapList(source.doc, source.map, 'tables', [entry]);
  }

  /** Adds columns to an existing entry, in `opts.columnOrder` when given; returns the names added. */
  addColumns(t: EntryTarget, columns: ColumnSpec[], opts: YamlEditOptions = {}): string[] {
    const added: string[] = [];
    for (const c of columns) {
      const entry = this.locate(t);
      if (!entry) { this.warn(`${describeTarget(t)} is not in ${this.path}; its columns were not added.`); return added; }
      if (entry.shared) { this.refuseShared(describeTarget(t)); return added; }
      const names = this.columnNames(t) ?? [];
      if (names.some(n => n.toLowerCase() === c.name.toLowerCase())) continue;
      const before = nextExisting(c.name, names, opts.columnOrder);
      const ok = this.appendToMapList(entry.doc, entry.map, 'columns', [columnToYaml(c, opts)], before === undefined ? undefined : names.indexOf(before));
      if (ok) added.push(c.name);
    }
    return added;
  }

  /** Sets a description where none is written (or replaces it with `rewrite`); true when the text changed. */
  setDescription(t: EntryTarget, column: string | undefined, text: string, opts: YamlEditOptions = {}): boolean {
    if (!text.trim()) return false;
    const at = column === undefined ? this.locate(t) : this.locateColumn(t, column);
    if (!at) return false;
    const current = scalarString(this.resolve(at.doc, this.fieldNode(at.doc, at.map, 'description')))?.trim();
    if (current && (!opts.rewrite || current === text.trim())) return false;
    if (at.shared) return this.refuseShared(column ? `column ${column} of ${describeTarget(t)}` : describeTarget(t));
    return this.setKey(at.map, 'description', text, 'name');
  }

  /** Sets `key` on a column when it has none (data_type, ...); true when the text changed. */
  setColumnKey(t: EntryTarget, column: string, key: string, value: YamlValue): boolean {
    const at = this.locateColumn(t, column);
    if (!at || this.fieldNode(at.doc, at.map, key) !== undefined) return false;
    if (at.shared) return this.refuseShared(`column ${column} of ${describeTarget(t)}`);
    return this.setKey(at.map, key, value, 'description');
  }

  /** Adds tests to a column (or the entry) unless an equivalent one is there; returns the names of the tests added. */
  addTests(t: EntryTarget, column: string | undefined, tests: TestSpec[], opts: YamlEditOptions = {}): string[] {
    const added: string[] = [];
    for (const test of tests) {
      const at = column === undefined ? this.locate(t) : this.locateColumn(t, column);
      if (!at) return added;
      if (this.testIdentities(t, column).has(testIdentity(test.name, test.args))) continue;
      if (at.shared) { this.refuseShared(column ? `column ${column} of ${describeTarget(t)}` : describeTarget(t)); return added; }
      const own = TEST_KEYS.map(k => ownPair(at.map, k)).find(Boolean);
      const merged = !own && TEST_KEYS.some(k => this.fieldNode(at.doc, at.map, k) !== undefined);
      if (merged) {
        this.warn(`The tests of ${column ? `column ${column} of ` : ''}${describeTarget(t)} come from a YAML merge (<<); ${test.name} was not added there. Add it by hand.`);
        return added;
      }
      const key = own ? keyName(own)! : opts.testsKey ?? 'data_tests';
      if (this.appendToMapList(at.doc, at.map, key, [testToYaml(test, opts.testArgs)])) added.push(test.name);
    }
    return added;
  }

  private refuseShared(what: string): false {
    this.warn(`${what} is written through a YAML anchor/alias shared with other entries; it was not edited (the change would reach them too).`);
    return false;
  }

  // ---------------------------------------------------------------- text changes

  /** Replaces the current text with one edit applied; reverts (with a problem) if the result is not valid YAML. */
  private commit(edit: TextEdit): boolean {
    const next = applyEdits(this.cur, [edit]);
    if (!isValidYaml(next)) {
      this.fail(`Internal error: an edit of ${this.path} would make it invalid YAML; that edit was dropped.`);
      return false;
    }
    this.cur = next;
    this.docs = undefined;
    return true;
  }

  private insertLines(at: number, lines: string[], leadingBreak = true): boolean {
    const eol = this.style.eol;
    const text = leadingBreak ? eol + lines.join(eol) : lines.join(eol) + eol;
    return this.commit({ start: at, end: at, newText: text });
  }

  /** Column of a block map's keys. */
  private keyColumn(map: YAMLMap): number {
    const first = map.items[0]?.key as Node | undefined;
    return first?.range ? columnOf(this.cur, first.range[0]) : map.range ? columnOf(this.cur, map.range[0]) : 0;
  }

  /** Sets key → value on a map: replaces an empty value, else inserts the pair after `afterKey` (or last). */
  private setKey(map: YAMLMap, key: string, value: YamlValue, afterKey?: string): boolean {
    const own = ownPair(map, key);
    if (own) return this.replaceValue(map, own, key, value);
    return this.insertPair(map, key, value, afterKey ? ownPair(map, afterKey) : undefined);
  }

  private insertPair(map: YAMLMap, key: string, value: YamlValue, after?: Pair): boolean {
    if (map.flow) {
      const text = `${flowText(key, this.style)}: ${flowText(value, this.style)}`;
      const last = map.items[map.items.length - 1];
      if (!last) return this.commit({ start: map.range![0] + 1, end: map.range![0] + 1, newText: text });
      const at = after ? contentEnd(this.cur, after) : contentEnd(this.cur, last);
      return this.commit({ start: at, end: at, newText: `, ${text}` });
    }
    const col = this.keyColumn(map);
    const anchor = after ?? map.items[map.items.length - 1];
    return this.insertLines(afterNode(this.cur, anchor, col), renderPair(key, value, col, this.style));
  }

  /** Replaces the value of a pair (an empty one, or a description being rewritten). */
  private replaceValue(map: YAMLMap, pair: Pair, key: string, value: YamlValue): boolean {
    const node = pair.value as Node | null;
    if (isAlias(node) || (node && !isScalar(node) && !(isSeq(node) && !node.items.length) && !(isMap(node) && !node.items.length))) {
      this.warn(`${key} in ${this.path} holds a structure or an alias; it was not replaced.`);
      return false;
    }
    if (map.flow) {
      const start = node?.range ? node.range[0] : contentEnd(this.cur, pair);
      const end = node?.range ? contentEnd(this.cur, node) : start;
      return this.commit({ start, end, newText: (node?.range ? '' : ' ') + flowText(value, this.style) });
    }
    const col = this.keyColumn(map);
    const v = renderValue(key, value, col, this.style);
    const eol = this.style.eol;
    const empty = !node?.range || (isScalar(node) && (node.value === null || node.value === undefined) && node.range[0] === node.range[1]);
    if (empty) {
      const colon = contentEnd(this.cur, pair);
      if (!v.lines.length) return this.commit({ start: colon, end: colon, newText: v.inline });
      if (!restOfLineIsBlank(this.cur, colon)) return false;
      // A trailing comment on the key's line stays where it is; the block goes below it.
      const at = lineEndFrom(this.cur, colon);
      return this.commit({ start: colon, end: at, newText: v.inline + this.cur.slice(colon, at) + eol + v.lines.join(eol) });
    }
    const start = node.range![0];
    const end = contentEnd(this.cur, node);
    const newText = v.inline.replace(/^ /, '') + (v.lines.length ? eol + v.lines.join(eol) : '');
    // A block value must start on a fresh line after the key; `[]` → block list keeps `key:` and puts items below.
    if (!v.inline) return this.commit({ start: contentEnd(this.cur, pair.key as Node), end, newText: ':' + eol + v.lines.join(eol) });
    return this.commit({ start, end, newText });
  }

  /** Appends items to the list under `key` of a map, creating the key when missing; `beforeIndex` inserts instead. */
  private appendToMapList(doc: Document, map: YAMLMap, key: string, items: YamlValue[], beforeIndex?: number): boolean {
    const own = ownPair(map, key);
    if (!own) {
      if (this.fieldNode(doc, map, key) !== undefined) {
        this.warn(`${key} of an entry in ${this.path} comes from a YAML merge (<<); it was not edited.`);
        return false;
      }
      return this.insertPair(map, key, items);
    }
    const seq = own.value as Node | null;
    if (isAlias(seq)) {
      this.warn(`${key} of an entry in ${this.path} is an alias (*anchor) shared with other entries; it was not edited.`);
      return false;
    }
    if (isSeq(seq) && seq.items.length) return this.insertItems(seq, items, beforeIndex);
    // An empty list (`[]`) or an empty value becomes a block list.
    if (!seq || isSeq(seq) || (isScalar(seq) && (seq.value === null || seq.value === ''))) return this.replaceValue(map, own, key, items);
    this.warn(`${key} in ${this.path} is not a list; it was not edited.`);
    return false;
  }

  private insertItems(seq: YAMLSeq, items: YamlValue[], beforeIndex?: number): boolean {
    if (seq.flow) {
      const last = seq.items[seq.items.length - 1];
      const at = contentEnd(this.cur, last);
      return this.commit({ start: at, end: at, newText: items.map(i => `, ${flowText(i, this.style)}`).join('') });
    }
    const first = seq.items[0] as Node | undefined;
    const firstDash = first?.range ? dashBefore(this.cur, first.range[0]) : -1;
    const dashCol = firstDash >= 0 ? columnOf(this.cur, firstDash) : seq.range ? columnOf(this.cur, seq.range[0]) : 0;
    const gap = this.dashGapOf(seq) ?? this.style.dashGap;
    const lines = items.flatMap(i => renderSeqItem(i, dashCol, this.style, gap));
    // Items the list separates with blank lines get one too.
    const spaced = this.blankLinesBetween(seq) ? [''] : [];
    const target = beforeIndex !== undefined ? (seq.items[beforeIndex] as Node | undefined) : undefined;
    if (target?.range) {
      const dash = dashBefore(this.cur, target.range[0]);
      if (dash >= 0) return this.insertLines(beforeItemLine(this.cur, dash, dashCol), [...lines, ...spaced], false);
    }
    return this.insertLines(afterNode(this.cur, seq.items[seq.items.length - 1], dashCol), [...spaced, ...lines]);
  }

  /** True when most gaps between the list's items hold a blank line. */
  private blankLinesBetween(seq: YAMLSeq): boolean {
    let blank = 0, gaps = 0;
    for (let i = 1; i < seq.items.length; i++) {
      const prev = seq.items[i - 1], next = seq.items[i] as Node;
      if (!next?.range) continue;
      const gap = this.cur.slice(contentEnd(this.cur, prev), next.range[0]);
      gaps++;
      if (/\n[ \t]*\r?\n/.test(gap)) blank++;
    }
    return gaps > 0 && blank * 2 > gaps;
  }

  /** Dash-to-content distance of the list's existing map items. */
  private dashGapOf(seq: YAMLSeq): number | undefined {
    for (const it of seq.items) {
      const n = it as Node;
      if (!isMap(n) || n.flow || !n.range) continue;
      const dash = dashBefore(this.cur, n.range[0]);
      if (dash >= 0 && columnOf(this.cur, n.range[0]) - columnOf(this.cur, dash) >= 2) return n.range[0] - dash;
    }
    return undefined;
  }

  /** Appends to the top-level list `key`, creating the key (and `version: 2` for a new file) when missing. */
  private appendToTopList(key: EntryKind, item: YamlValue): boolean {
    const top = this.topPair(key);
    if (top && isMap(top.doc.contents)) return this.appendToMapList(top.doc, top.doc.contents, key, [item]);
    const docs = this.parsed() ?? [];
    const root = docs.find(d => isMap(d.contents))?.contents as YAMLMap | undefined;
    const lines = renderPair(key, [item], 0, this.style);
    const eol = this.style.eol;
    if (root && !root.flow) {
      const at = afterNode(this.cur, root.items[root.items.length - 1], 0);
      return this.insertLines(at, ['', ...lines]);
    }
    if (root) {
      this.fail(`${this.path} is a single flow mapping ({...}); add the \`${key}:\` list by hand.`);
      return false;
    }
    if (docs.some(d => d.contents !== null && d.contents !== undefined)) {
      this.fail(`${this.path} does not hold a YAML mapping at the top; it was not edited.`);
      return false;
    }
    const head = !this.exists && this.style.versionHeader ? ['version: 2', ''] : [];
    const sep = this.cur && !this.cur.endsWith('\n') ? eol : '';
    return this.commit({ start: this.cur.length, end: this.cur.length, newText: sep + [...head, ...lines].join(eol) + eol });
  }
}

function isValidYaml(text: string): boolean {
  try {
    return [...parseAllDocuments(text, { uniqueKeys: false })].every(d => !d.errors.length);
  } catch {
    return false;
  }
}

/** The first name after `name` in `order` that the list already has (insert before it), if any. */
function nextExisting(name: string, existing: string[], order: string[] | undefined): string | undefined {
  if (!order) return undefined;
  const lower = order.map(o => o.toLowerCase());
  const i = lower.indexOf(name.toLowerCase());
  if (i < 0) return undefined;
  // Only when the existing columns follow the order: otherwise the list has an order of its own.
  const positions = existing.map(e => lower.indexOf(e.toLowerCase()));
  const known = positions.filter(p => p >= 0);
  if (known.some((p, k) => k > 0 && p < known[k - 1])) return undefined;
  for (let j = i + 1; j < lower.length; j++) {
    const hit = existing.find(e => e.toLowerCase() === lower[j]);
    if (hit) return hit;
  }
  return undefined;
}


