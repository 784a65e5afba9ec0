// The YAML entry of a new staging model, written the way the target file already writes its entries (indentation
// of list items, blank lines between entries) and appended after its last model, leaving every other byte alone.
import { Document, isMap, isSeq, type YAMLMap } from 'yaml';
import type { TextEdit } from './types';
import { mapGet, readYaml } from './refactorYaml';

export interface ModelEntry {
  name: string;
  description?: string;
  columns: { name: string; description?: string; tests: string[] }[];
}

export interface YamlLayout {
  /** Indentation of the `- name:` items of `models:`. */
  itemIndent: string;
  /** Nested lists indented under their key (`columns:\n  - name`) rather than flush (`columns:\n- name`). */
  indentSeq: boolean;
  /** A blank line between model entries. */
  blankBetween: boolean;
}

const DEFAULT_LAYOUT: YamlLayout = { itemIndent: '  ', indentSeq: true, blankBetween: true };

/** The entry as a plain object in dbt's key order. */
function entryObject(e: ModelEntry, testsKey: string): Record<string, unknown> {
  const o: Record<string, unknown> = { name: e.name };
  if (e.description) o.description = e.description;
  o.columns = e.columns.map(c => {
    const col: Record<string, unknown> = { name: c.name };
    if (c.description) col.description = c.description;
    if (c.tests.length) col[testsKey] = c.tests;
    return col;
  });
  return o;
}

/** `- name: ...` lines for one entry, indented for the `models:` list. */
export function renderEntry(e: ModelEntry, testsKey: string, layout: YamlLayout = DEFAULT_LAYOUT): string {
  const body = new Document(entryObject(e, testsKey)).toString({ indent: 2, indentSeq: layout.indentSeq, lineWidth: 0 }).trimEnd().split('\n');
  return body.map((l, i) => (i === 0 ? `${layout.itemIndent}- ${l}` : l ? `${layout.itemIndent}  ${l}` : l)).join('\n');
}

/** A new properties file holding the entry. */
export function newPropertiesFile(e: ModelEntry, testsKey: string): string {
  return `version: 2\n\nmodels:\n${renderEntry(e, testsKey)}\n`;
}

export function layoutOf(text: string, items: YAMLMap[]): YamlLayout {
  const layout = { ...DEFAULT_LAYOUT };
  const first = items[0];
  if (first?.range) {
    const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
    const m = /^([ \t]*)-[ \t]*/.exec(text.slice(lineStart, first.range[0]));
    if (m) layout.itemIndent = m[1];
  }
  const nested = /^([ \t]*)(?:columns|data_tests|tests):[ \t]*\n([ \t]*)-/m.exec(text);
  if (nested) layout.indentSeq = nested[2].length > nested[1].length;
  if (items.length >= 2 && items[1].range && first.range) layout.blankBetween = /\n[ \t]*\n/.test(text.slice(first.range[0], items[1].range[0]));
  else layout.blankBetween = false;
  return layout;
}

/** The edit appending the entry to an existing properties file, or why it cannot be placed there. */
export function appendEntry(text: string, e: ModelEntry, testsKey: string): { edit?: TextEdit; error?: string } {
  const { docs, error } = readYaml(text);
  if (error) return { error: `it is not valid YAML (${error})` };
  const doc = docs[0];
  if (!doc || !isMap(doc.contents)) {
    return { edit: { start: text.length, end: text.length, newText: `${text.endsWith('\n') || !text ? '' : '\n'}models:\n${renderEntry(e, testsKey)}\n` } };
  }
  const models = mapGet(doc.contents, 'models');
  if (models === undefined) {
    return { edit: { start: text.length, end: text.length, newText: `${text.endsWith('\n') ? '' : '\n'}\nmodels:\n${renderEntry(e, testsKey)}\n` } };
  }
  if (!isSeq(models)) return { error: 'its `models:` key is not a list' };
  if (models.flow) return { error: 'its `models:` list is written in flow style ([...])' };
  if (!models.items.length) return { error: 'its `models:` list is empty' };
  const items = models.items.filter(isMap);
  const layout = layoutOf(text, items);
  const last = models.items[models.items.length - 1] as YAMLMap;
  const lastEnd = last.range ? last.range[2] : models.range![2];
  let p = text.slice(0, lastEnd).trimEnd().length;
  const nl = text.indexOf('\n', p);
  p = nl < 0 ? text.length : nl;
  const lead = nl < 0 ? '\n' : '';
  const sep = layout.blankBetween ? '\n' : '';
  return { edit: { start: p, end: p, newText: `${lead}\n${sep}${renderEntry(e, testsKey, layout)}` } };
}
