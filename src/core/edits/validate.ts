// Validation of a plan before it is shown: its changes are applied in memory to the current texts, then every
// changed file is read back — YAML must parse (and our dbt parser must find no new problem), SQL must have
// well-formed Jinja and readable SQL, every ref()/source()/doc() the plan adds must resolve, and the plan must
// not duplicate an entry, a column or a test. Problems are returned (never thrown) for plan.problems.
import type { DbtNode, DbtProjectInfo, Problem, TestDef } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { parseFile, type FileParse } from '../dbt/parse';
import { classifyPath, isUnder } from '../dbt/paths';
import { RefResolver } from '../dbt/graph-refs';
import { formatRef } from '../dbt/graph-node';
import { docRefsIn } from '../dbt/nodes';
import { scanJinja } from '../dbt/jinja';
import { tokenize } from '../sql/tokenize';
import { parseAllDocuments } from 'yaml';
import { applyChanges } from './apply';
import { testIdentity } from './yamlEdit';
import type { EditPlan, FileChange, ReadFile } from './types';

const YAML = /\.ya?ml$/i;

function changedPaths(changes: readonly FileChange[]): string[] {
  return [...new Set(changes.flatMap(c => (c.kind === 'rename' ? [c.path, c.newPath] : [c.path])))];
}

/** The project a workspace-relative path belongs to (the deepest project root holding it). */
function projectOf(snap: WorkspaceSnapshot, rel: string): DbtProjectInfo | undefined {
  const infos = snap.projects.map(p => p.info).filter(i => isUnder(rel, i.root));
  return infos.sort((a, b) => b.root.length - a.root.length)[0];
}

function parseAs(info: DbtProjectInfo | undefined, rel: string, text: string | null | undefined): FileParse | undefined {
  if (!info || typeof text !== 'string' || !classifyPath(info, rel)) return undefined;
  return parseFile(info, rel, text);
}

const err = (path: string, message: string, line?: number): Problem => ({ path, severity: 'error', message, ...(line ? { line } : {}) });

/** Problems of the plan's result; empty when it is safe to show as ready. */
export async function validatePlan(plan: EditPlan, snap: WorkspaceSnapshot, read: ReadFile): Promise<Problem[]> {
  const problems: Problem[] = [];
  const current = new Map<string, string>();
  for (const p of changedPaths(plan.changes)) {
    const text = await read(p);
    if (text !== undefined) current.set(p, text);
  }
  const applied = applyChanges(current, plan.changes);
  problems.push(...applied.problems.map(p => ({ ...p, message: `Validation: ${p.message}` })));

  const before = new Map<string, FileParse | undefined>();
  const after = new Map<string, FileParse | undefined>();
  for (const [rel, text] of applied.files) {
    const info = projectOf(snap, rel);
    before.set(rel, parseAs(info, rel, current.get(rel)));
    after.set(rel, parseAs(info, rel, text));
    if (typeof text !== 'string') continue;
    if (YAML.test(rel)) problems.push(...yamlProblems(rel, text, current.get(rel), before.get(rel), after.get(rel)));
    else if (/\.sql$/i.test(rel)) problems.push(...sqlProblems(rel, text, current.get(rel)));
  }
  problems.push(...referenceProblems(snap, applied.files, before, after));
  problems.push(...duplicateEntryProblems(snap, before, after));
  return problems;
}

function yamlProblems(rel: string, text: string, oldText: string | undefined, old: FileParse | undefined, now: FileParse | undefined): Problem[] {
  const out: Problem[] = [];
  try {
    for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
      if (doc.errors.length) {
        const e = doc.errors[0];
        out.push(err(rel, `Validation: the result is not valid YAML (${e.message.split('\n')[0]}).`, e.linePos?.[0].line));
        return out;
      }
    }
  } catch (e) {
    return [err(rel, `Validation: the result cannot be read as YAML (${(e as Error).message}).`)];
  }
  out.push(...duplicateKeyProblems(rel, text, oldText));
  const known = new Set((oldText !== undefined ? old?.problems ?? [] : []).map(p => p.message));
  for (const p of now?.problems ?? []) if (!known.has(p.message)) out.push({ ...p, severity: 'error', message: `Validation: dbt would report: ${p.message}` });
  out.push(...duplicateInsideProblems(rel, old, now));
  return out;
}

/** Lines of keys written twice in one mapping (PyYAML keeps the last silently). */
function duplicateKeyLines(text: string): number[] {
  try {
    return [...parseAllDocuments(text, { uniqueKeys: true })].flatMap(d => d.errors.filter(e => e.code === 'DUPLICATE_KEY').map(e => e.linePos?.[0].line ?? 0));
  } catch {
    return [];
  }
}

function duplicateKeyProblems(rel: string, text: string, oldText: string | undefined): Problem[] {
  const now = duplicateKeyLines(text);
  if (now.length <= (oldText === undefined ? 0 : duplicateKeyLines(oldText).length)) return [];
  return [err(rel, `Validation: the result writes a key twice in one mapping (line ${now.join(', ')}); dbt would silently keep only the last one.`, now[0])];
}

/** Duplicate entries in one file, duplicate columns in an entry, duplicate tests on a column — new ones only. */
function duplicateInsideProblems(rel: string, old: FileParse | undefined, now: FileParse | undefined): Problem[] {
  const dupes = (p: FileParse | undefined) => {
    const out = new Set<string>();
    if (!p) return out;
    const seen = new Set<string>();
    const note = (key: string, what: string) => { if (seen.has(key)) out.add(what); seen.add(key); };
    const entries: { kind: string; name: string; columns: DbtNode['columns']; tests: TestDef[] }[] = [
      ...p.patches.map(x => ({ kind: x.resourceType, name: x.name, columns: x.columns, tests: x.tests })),
      ...p.nodes.filter(n => n.resourceType === 'source').map(n => ({ kind: 'source', name: n.uniqueId, columns: n.columns, tests: n.tests })),
    ];
    for (const e of entries) {
      note(`e|${e.kind}|${e.name}`.toLowerCase(), `${e.kind} ${e.name} is declared twice`);
      for (const c of e.columns) {
        note(`c|${e.kind}|${e.name}|${c.name}`.toLowerCase(), `column ${c.name} of ${e.name} is listed twice`);
        for (const t of c.tests) note(`t|${e.kind}|${e.name}|${c.name}|${testIdentity(t.name, t.args)}`, `${t.name} is declared twice on ${e.name}.${c.name}`);
      }
      for (const t of e.tests) note(`t|${e.kind}|${e.name}||${testIdentity(t.name, t.args)}|${t.column ?? ''}`, `${t.name} is declared twice on ${e.name}`);
    }
    return out;
  };
  const had = dupes(old);
  return [...dupes(now)].filter(d => !had.has(d)).map(d => err(rel, `Validation: ${d} in the result.`));
}

function sqlProblems(rel: string, text: string, old: string | undefined): Problem[] {
  const out: Problem[] = [];
  const oldScan = old === undefined ? undefined : scanJinja(old);
  const known = new Set(oldScan?.problems.map(p => p.message) ?? []);
  const scan = scanJinja(text);
  for (const p of scan.problems) if (!known.has(p.message)) out.push(err(rel, `Validation: malformed Jinja in the result: ${p.message}`, p.line));
  const tk = tokenize(scan.sql, 'duckdb');
  const oldErr = oldScan ? tokenize(oldScan.sql, 'duckdb').error : undefined;
  if (tk.error && !oldErr) out.push(err(rel, `Validation: the resulting SQL cannot be read: ${tk.error}.`));
  return out;
}

/** The refs, sources and doc() references a parse makes, as text keys → the node making them. */
function referencesOf(p: FileParse | undefined): Map<string, { from: DbtNode; ref?: DbtNode['refs'][number]; source?: DbtNode['sources'][number]; doc?: string }> {
  const out = new Map<string, { from: DbtNode; ref?: DbtNode['refs'][number]; source?: DbtNode['sources'][number]; doc?: string }>();
  if (!p) return out;
  const owner = (p.nodes[0] ?? null) as DbtNode | null;
  for (const n of p.nodes) {
    for (const r of n.refs) out.set(`ref:${formatRef(r)}`, { from: n, ref: r });
    for (const s of n.sources) out.set(`source:${s.source}.${s.table}`, { from: n, source: s });
    for (const t of n.tests) addTo(out, t, n);
    for (const d of n.docRefs) out.set(`doc:${d}`, { from: n, doc: d });
    for (const c of n.columns) { for (const d of c.docRefs) out.set(`doc:${d}`, { from: n, doc: d }); for (const t of c.tests) addTo(out, t, n); }
  }
  for (const patch of p.patches) {
    const from = owner ?? ({ uniqueId: `${patch.resourceType}.?.${patch.name}`, project: '' } as DbtNode);
    for (const d of patch.docRefs) out.set(`doc:${d}`, { from, doc: d });
    for (const t of patch.tests) addTo(out, t, from);
    for (const c of patch.columns) {
      for (const d of c.docRefs) out.set(`doc:${d}`, { from, doc: d });
      for (const t of c.tests) addTo(out, t, from);
    }
  }
  return out;
}

function addTo(out: ReturnType<typeof referencesOf>, t: TestDef, from: DbtNode): void {
  if (!t.to) return;
  if ('source' in t.to) out.set(`source:${t.to.source}.${t.to.table}`, { from, source: t.to });
  else out.set(`ref:${formatRef(t.to)}`, { from, ref: t.to });
}

/** Every ref/source/doc the plan adds must resolve against the graph as it would be after the plan. */
function referenceProblems(snap: WorkspaceSnapshot, files: Map<string, string | null>, before: Map<string, FileParse | undefined>, after: Map<string, FileParse | undefined>): Problem[] {
  const changed = new Set(files.keys());
  const nodes = snap.graph.nodes().filter(n => !n.location || !changed.has(n.location.path));
  for (const p of after.values()) nodes.push(...(p?.nodes ?? []));
  const resolver = new RefResolver(nodes, id => nodes.find(n => n.uniqueId === id));
  const docs = new Set(snap.projects.flatMap(p => p.docBlocks.map(d => d.name)));
  for (const p of after.values()) for (const d of p?.docBlocks ?? []) docs.add(d.name);
  const out: Problem[] = [];
  for (const [rel, p] of after) {
    const had = referencesOf(before.get(rel));
    for (const [key, r] of referencesOf(p)) {
      if (had.has(key)) continue;
      const from = { ...r.from, project: r.from.project || projectOf(snap, rel)?.name || '' };
      if (r.doc !== undefined) {
        if (!docs.has(r.doc)) out.push(err(rel, `Validation: {{ doc('${r.doc}') }} names no docs block. Write the block or use another description.`));
        continue;
      }
      const res = r.ref ? resolver.ref(from, r.ref) : resolver.source(from, r.source!);
      const call = r.ref ? formatRef(r.ref) : `source('${r.source!.source}', '${r.source!.table}')`;
      if ('reason' in res) out.push(err(rel, `Validation: ${call} does not resolve (${res.reason}).`));
    }
  }
  return out;
}

/** A model/seed/snapshot newly documented in a file while another file already documents it. */
function duplicateEntryProblems(snap: WorkspaceSnapshot, before: Map<string, FileParse | undefined>, after: Map<string, FileParse | undefined>): Problem[] {
  const out: Problem[] = [];
  for (const [rel, p] of after) {
    const had = new Set((before.get(rel)?.patches ?? []).map(x => `${x.resourceType}|${x.name}`));
    for (const patch of p?.patches ?? []) {
      if (had.has(`${patch.resourceType}|${patch.name}`) || !['model', 'seed', 'snapshot'].includes(patch.resourceType)) continue;
      const node = snap.graph.findAll(patch.name, { types: [patch.resourceType as 'model'] })[0];
      const elsewhere = node?.yamlLocation?.path;
      if (elsewhere && elsewhere !== rel && !after.has(elsewhere)) {
        out.push(err(rel, `Validation: ${patch.resourceType} ${patch.name} is already documented in ${elsewhere}; a second entry would be a duplicate.`));
      }
    }
  }
  return out;
}
