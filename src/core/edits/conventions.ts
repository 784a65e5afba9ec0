// What a project's YAML says about how it documents itself: where entries go and how files are named, `data_tests`
// or `tests`, test argument nesting, whether columns carry data types, column order, and the YAML style. New
// entries follow these conventions; an entry that already exists is always edited where it is.
import * as path from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type YAMLMap } from 'yaml';
import type { DbtNode, DbtProjectInfo } from '../types';
import { findProjectFiles } from '../dbt/files';
import type { EntryKind } from './yamlEdit';
import { addVotes, decideStyle, emptyVotes, styleVotes, type YamlStyle } from './yamlEditStyle';

/** One YAML property file of the project, as written. */
export interface YamlFileFacts {
  /** Workspace-relative path. */
  path: string;
  text: string;
}

export type NewEntryKind = Exclude<EntryKind, 'sources'>;

/** How new entries of one kind are placed. */
export type Placement =
  /** One file per node next to it: template '{name}.yml', '_{name}.yml', ... */
  | { kind: 'per-node'; template: string }
  /** One file per folder: template '_{folder}__models.yml', 'schema.yml', ...; '{folder}' = the folder's name. */
  | { kind: 'per-folder'; template: string }
  /** One file for the whole project. */
  | { kind: 'single'; path: string };

export interface ProjectConventions {
  project: string;
  testsKey: 'data_tests' | 'tests';
  /** Why that key: usage counts or the dbt version. */
  testsKeyReason: string;
  testArgs: 'top' | 'arguments';
  /** Write `data_type:` on new columns (the project mostly does; contract-enforced models always get it). */
  dataTypes: boolean;
  columnOrder: 'sql' | 'alphabetical';
  /** Style for new files; an existing file's own style wins inside it. */
  style: YamlStyle;
  placement: Record<NewEntryKind, Placement>;
  /** Why each placement, for the plan's explanation. */
  placementReason: Record<NewEntryKind, string>;
  /** Entries each YAML file holds: path → kind → names (source tables as 'source.table'). */
  holdings: Map<string, Partial<Record<EntryKind, string[]>>>;
  /** Per kind: folder of the nodes → the YAML files documenting nodes of that folder, most entries first. */
  folderFiles: Record<NewEntryKind, Map<string, string[]>>;
}

const KINDS: EntryKind[] = ['models', 'seeds', 'snapshots', 'sources'];
const NEW_KINDS: NewEntryKind[] = ['models', 'seeds', 'snapshots'];
const RESOURCE: Record<NewEntryKind, DbtNode['resourceType']> = { models: 'model', seeds: 'seed', snapshots: 'snapshot' };

interface Tally {
  dataTests: number;
  tests: number;
  argumentsStyle: number;
  columns: number;
  typed: number;
  sortedEntries: number;
  orderedEntries: number;
}

function str(n: unknown): string | undefined {
  return isScalar(n) && n.value !== null && n.value !== undefined && typeof n.value !== 'object' ? String(n.value) : undefined;
}

function get(map: unknown, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  let v: Node | undefined;
  for (const p of map.items) if (isScalar(p.key) && p.key.value === key) v = p.value as Node;
  return v;
}

function readDocs(text: string): Document[] {
  try {
    return [...parseAllDocuments(text, { uniqueKeys: false })].filter(d => !d.errors.length) as Document[];
  } catch {
    return [];
  }
}

/** Entry names per top-level kind, and the usage counts of one file. */
function readFile(text: string, tally: Tally): Partial<Record<EntryKind, string[]>> {
  const held: Partial<Record<EntryKind, string[]>> = {};
  for (const doc of readDocs(text)) {
    for (const kind of KINDS) {
      const seq = get(doc.contents, kind);
      if (!isSeq(seq)) continue;
      for (const item of seq.items) {
        const name = str(get(item, 'name'));
        if (!name) continue;
        if (kind !== 'sources') {
          (held[kind] ??= []).push(name);
          countEntry(item as YAMLMap, tally);
          continue;
        }
        const tables = get(item, 'tables');
        for (const t of isSeq(tables) ? tables.items : []) {
          const table = str(get(t, 'name'));
          if (table) { (held.sources ??= []).push(`${name}.${table}`); countEntry(t as YAMLMap, tally); }
        }
      }
    }
  }
  return held;
}

function countEntry(entry: YAMLMap, tally: Tally): void {
  countTests(entry, tally);
  const cols = get(entry, 'columns');
  if (!isSeq(cols)) return;
  const names: string[] = [];
  for (const c of cols.items) {
    const name = str(get(c, 'name'));
    if (name) names.push(name.toLowerCase());
    tally.columns++;
    if (get(c, 'data_type') !== undefined) tally.typed++;
    countTests(c, tally);
  }
  if (names.length >= 3) {
    tally.orderedEntries++;
    if (names.every((n, i) => i === 0 || names[i - 1] <= n)) tally.sortedEntries++;
  }
}

function countTests(map: unknown, tally: Tally): void {
  if (get(map, 'data_tests') !== undefined) tally.dataTests++;
  if (get(map, 'tests') !== undefined) tally.tests++;
  for (const key of ['data_tests', 'tests']) {
    const seq = get(map, key);
    for (const t of isSeq(seq) ? seq.items : []) {
      if (!isMap(t)) continue;
      for (const p of t.items) if (get(p.value, 'arguments') !== undefined) tally.argumentsStyle++;
    }
  }
}

/** The lowest version `require-dbt-version` allows ('>=1.9.0, <2.0.0' → [1, 9]). */
export function minimumDbtVersion(req: string | undefined): [number, number] | undefined {
  if (!req) return undefined;
  let best: [number, number] | undefined;
  for (const part of req.split(',')) {
    const m = /^\s*(>=|>|==|=|~=)?\s*v?(\d+)\.(\d+)/.exec(part);
    if (!m || (m[1] === undefined && /</.test(part))) continue;
    if (/^\s*</.test(part)) continue;
    const v: [number, number] = [Number(m[2]), Number(m[3])];
    if (!best || v[0] > best[0] || (v[0] === best[0] && v[1] > best[1])) best = v;
  }
  return best;
}

function testsKeyFor(info: DbtProjectInfo, tally: Tally): { key: 'data_tests' | 'tests'; reason: string } {
  if (tally.dataTests || tally.tests) {
    const key = tally.dataTests >= tally.tests ? 'data_tests' : 'tests';
    return { key, reason: `the project's YAML uses \`data_tests:\` ${tally.dataTests} time(s) and \`tests:\` ${tally.tests} time(s)` };
  }
  const min = minimumDbtVersion(info.requireDbtVersion);
  if (min && (min[0] > 1 || (min[0] === 1 && min[1] >= 8))) {
    return { key: 'data_tests', reason: `require-dbt-version ${info.requireDbtVersion} (dbt 1.8+ names them data_tests)` };
  }
  return { key: 'tests', reason: min
    ? `require-dbt-version ${info.requireDbtVersion} allows dbt before 1.8, which only knows \`tests:\``
    : 'no existing tests and no require-dbt-version: `tests:` works in every dbt version' };
}

/** Folder of a node's defining file ('' when unknown). */
export function nodeDir(node: DbtNode): string {
  return node.location ? path.posix.dirname(node.location.path) : '';
}

/** The name-pattern one file suggests for its kind's entries, or undefined when it suggests none. */
function fileTemplate(file: string, kind: NewEntryKind, names: string[]): Placement | undefined {
  const base = path.posix.basename(file);
  const stem = base.replace(/\.ya?ml$/i, '');
  if (names.length === 1 && stem.toLowerCase().includes(names[0].toLowerCase())) {
    return { kind: 'per-node', template: base.replace(names[0], '{name}') };
  }
  const folder = path.posix.basename(path.posix.dirname(file));
  // `seeds/_seeds.yml`: the folder's name is also the kind's word; keep it literal.
  if (folder && folder !== kind && stem.includes(folder)) return { kind: 'per-folder', template: base.split(folder).join('{folder}') };
  return { kind: 'per-folder', template: base };
}

function placementKey(p: Placement): string {
  return p.kind === 'single' ? `single:${p.path}` : `${p.kind}:${p.template}`;
}

/** The placement most files of a kind follow (a single file holding every entry from several folders wins). */
function learnPlacement(kind: NewEntryKind, holdings: Map<string, Partial<Record<EntryKind, string[]>>>, dirOf: Map<string, string>): { placement: Placement; reason: string } {
  const files = [...holdings].filter(([, h]) => h[kind]?.length);
  const fallback = defaultPlacement(kind);
  if (!files.length) return { placement: fallback, reason: `no YAML documents ${kind} yet: the dbt style guide's ${fallback.kind === 'per-folder' ? fallback.template : ''} per folder` };
  const total = files.reduce((n, [, h]) => n + h[kind]!.length, 0);
  for (const [file, h] of files) {
    const dirs = new Set(h[kind]!.map(n => dirOf.get(n)).filter(d => d !== undefined));
    if (dirs.size >= 2 && h[kind]!.length >= total * 0.8) {
      return { placement: { kind: 'single', path: file }, reason: `${file} holds the ${kind} of ${dirs.size} folders` };
    }
  }
  const votes = new Map<string, { p: Placement; n: number; example: string }>();
  for (const [file, h] of files) {
    const p = fileTemplate(file, kind, h[kind]!);
    if (!p) continue;
    const k = placementKey(p);
    const v = votes.get(k);
    if (v) v.n++; else votes.set(k, { p, n: 1, example: file });
  }
  const best = [...votes.values()].sort((a, b) => b.n - a.n)[0];
  if (!best) return { placement: fallback, reason: 'no naming pattern found' };
  const what = best.p.kind === 'per-node' ? `one file per ${kind.replace(/s$/, '')}` : 'one file per folder';
  return { placement: best.p, reason: `${what} named like ${best.example} (${best.n} of ${files.length} files)` };
}

function defaultPlacement(kind: NewEntryKind): Placement {
  return { kind: 'per-folder', template: `_{folder}__${kind}.yml` };
}

/** Learns the conventions of one project from its YAML files and its nodes (pure: no I/O). */
export function learnConventionsFrom(info: DbtProjectInfo, files: YamlFileFacts[], nodes: DbtNode[]): ProjectConventions {
  const tally: Tally = { dataTests: 0, tests: 0, argumentsStyle: 0, columns: 0, typed: 0, sortedEntries: 0, orderedEntries: 0 };
  const holdings = new Map<string, Partial<Record<EntryKind, string[]>>>();
  const votes = emptyVotes();
  for (const f of files) {
    holdings.set(f.path, readFile(f.text, tally));
    addVotes(votes, styleVotes(f.text));
  }
  const tests = testsKeyFor(info, tally);
  const placement = {} as Record<NewEntryKind, Placement>;
  const placementReason = {} as Record<NewEntryKind, string>;
  const folderFiles = {} as Record<NewEntryKind, Map<string, string[]>>;
  for (const kind of NEW_KINDS) {
    const dirOf = new Map(nodes.filter(n => n.resourceType === RESOURCE[kind] && n.project === info.name).map(n => [n.name, nodeDir(n)]));
    const learned = learnPlacement(kind, holdings, dirOf);
    placement[kind] = learned.placement;
    placementReason[kind] = learned.reason;
    folderFiles[kind] = filesByFolder(kind, holdings, dirOf);
  }
  return {
    project: info.name,
    testsKey: tests.key,
    testsKeyReason: tests.reason,
    testArgs: tally.argumentsStyle > 0 ? 'arguments' : 'top',
    dataTypes: tally.columns > 0 && tally.typed / tally.columns > 0.5,
    columnOrder: tally.orderedEntries >= 2 && tally.sortedEntries / tally.orderedEntries >= 2 / 3 ? 'alphabetical' : 'sql',
    style: decideStyle(votes),
    placement,
    placementReason,
    holdings,
    folderFiles,
  };
}

/** Where a new entry for `node` goes: the file already holding its folder's entries, else the project's pattern. */
export function placeEntry(conv: ProjectConventions, node: DbtNode, resourceRoots: string[] = []): { path: string; reason: string } {
  const kind = (Object.keys(RESOURCE) as NewEntryKind[]).find(k => RESOURCE[k] === node.resourceType) ?? 'models';
  const dir = nodeDir(node);
  const p = conv.placement[kind];
  const fill = (template: string) => path.posix.join(dir, template.replace('{name}', node.name).replace('{folder}', path.posix.basename(dir) || kind));
  if (p.kind === 'per-node') return { path: fill(p.template), reason: conv.placementReason[kind] };
  const siblings = siblingFiles(conv, kind, dir);
  if (siblings.length) return { path: siblings[0], reason: `the file already holding the ${kind} of ${dir || 'the project root'}` };
  if (p.kind === 'single') return { path: p.path, reason: conv.placementReason[kind] };
  // Directly in a resource folder (models/, seeds/): `_models.yml` rather than `_models__models.yml`.
  const atRoot = resourceRoots.includes(dir) && p.template.includes('{folder}');
  const target = atRoot ? path.posix.join(dir, `_${kind}.yml`) : fill(p.template);
  return { path: target, reason: `${conv.placementReason[kind]}; new file for ${dir || 'the project root'}` };
}

/** Folder → the files documenting that folder's nodes, the file with most of them first. */
function filesByFolder(kind: NewEntryKind, holdings: Map<string, Partial<Record<EntryKind, string[]>>>, dirOf: Map<string, string>): Map<string, string[]> {
  const counts = new Map<string, Map<string, number>>();
  for (const [file, h] of holdings) {
    for (const name of h[kind] ?? []) {
      const dir = dirOf.get(name);
      if (dir === undefined) continue;
      const m = counts.get(dir) ?? new Map<string, number>();
      m.set(file, (m.get(file) ?? 0) + 1);
      counts.set(dir, m);
    }
  }
  return new Map([...counts].map(([dir, m]) => [dir, [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([f]) => f)]));
}

/** YAML files documenting nodes of `dir`, then files in `dir` holding that kind for nodes elsewhere. */
function siblingFiles(conv: ProjectConventions, kind: NewEntryKind, dir: string): string[] {
  const documenting = conv.folderFiles[kind].get(dir) ?? [];
  const inDir = [...conv.holdings].filter(([file, h]) => path.posix.dirname(file) === dir && h[kind]?.length).map(([f]) => f).sort();
  return [...new Set([...documenting, ...inDir])];
}

/** The project's YAML property files (every .yml/.yaml under its folders), read through `read`. */
export async function projectYamlFiles(root: string, info: DbtProjectInfo, read: (rel: string) => Promise<string | undefined>): Promise<YamlFileFacts[]> {
  const out: YamlFileFacts[] = [];
  for (const rel of await findProjectFiles(root, info)) {
    if (!/\.ya?ml$/i.test(rel)) continue;
    const text = await read(rel);
    if (text !== undefined) out.push({ path: rel, text });
  }
  return out;
}
