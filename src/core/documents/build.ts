// Turns a workspace snapshot into the index's documents: one meaningful unit each (a model's SQL, its YAML entry,
// a group of columns, a source table, a macro, a commit, a warehouse table...), each with the citation it answers with.
import { createHash } from 'node:crypto';
import type { Citation, Commit, DbtNode, DocBlock, DocKind, IndexDocument, WarehouseTable } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { columnsText, displayName, nodeSummary } from './describe';

const MAX_CODE_CHARS = 4000;
const COLUMNS_PER_DOC = 25;

// History and warehouse metadata change far less often than files: their documents are kept while the
// snapshot holds the same history and catalog objects (the loader reuses them when nothing changed).
const commitDocsCache = new WeakMap<object, IndexDocument[]>();

export function buildDocuments(snap: WorkspaceSnapshot): IndexDocument[] {
  const docs: IndexDocument[] = [];
  for (const node of snap.graph.nodes()) docs.push(...nodeDocuments(node));
  for (const p of snap.projects) for (const b of p.docBlocks) docs.push(docBlockDocument(b));
  let commits = commitDocsCache.get(snap.historyData);
  if (!commits) {
    commits = snap.historyData.commits.map(commitDocument).filter((d): d is IndexDocument => !!d);
    commitDocsCache.set(snap.historyData, commits);
  }
  docs.push(...commits);
  for (const t of snap.catalog?.tables ?? []) docs.push(tableDocument(t, snap));
  return docs;
}

function makeDoc(kind: DocKind, key: string, title: string, text: string, citation: Citation, identifiers: string[], nodeId?: string): IndexDocument {
  const hash = createHash('sha1').update(title).update('\0').update(text).digest('hex');
  return { id: `${kind}:${key}`, kind, title, text, hash, citation, identifiers: unique(identifiers), nodeId };
}

function nodeDocuments(node: DbtNode): IndexDocument[] {
  if (node.resourceType === 'test' && !node.rawCode) return []; // generic tests are covered by the columns docs
  const out: IndexDocument[] = [];
  const kind = docKindOf(node);
  const ids = [node.name, node.relation?.identifier ?? '', node.uniqueId];
  if (node.location) {
    const code = node.rawCode ? `\n${node.rawCode.slice(0, MAX_CODE_CHARS)}` : '';
    out.push(makeDoc(kind, node.uniqueId, titleOf(node), nodeSummary(node) + code,
      cite(node, node.location, kind), ids, node.uniqueId));
  }
  if (node.yamlLocation) {
    const head = node.columns.slice(0, COLUMNS_PER_DOC);
    const text = `${nodeSummary(node)}\n${columnsText(head)}`;
    out.push(makeDoc(kind === 'model' ? 'model_yaml' : kind, `${node.uniqueId}#yaml`, `${titleOf(node)} (YAML)`, text,
      cite(node, node.yamlLocation, `${node.resourceType}_yaml`), [...ids, ...head.map(c => c.name)], node.uniqueId));
    for (let i = COLUMNS_PER_DOC; i < node.columns.length; i += COLUMNS_PER_DOC) {
      const group = node.columns.slice(i, i + COLUMNS_PER_DOC);
      const first = group[0].location ?? node.yamlLocation;
      const last = group[group.length - 1].location ?? node.yamlLocation;
      out.push(makeDoc('columns', `${node.uniqueId}#${i}`, `columns of ${node.name} (${i + 1}-${i + group.length})`,
        `${node.resourceType} ${node.name} columns:\n${columnsText(group)}`,
        { path: first.path, startLine: first.startLine, endLine: last.endLine, kind: 'column', nodeId: node.uniqueId, title: node.name },
        group.map(c => c.name), node.uniqueId));
    }
  }
  return out;
}

function docKindOf(node: DbtNode): DocKind {
  switch (node.resourceType) {
    case 'model': return 'model';
    case 'source': return 'source';
    case 'seed': return 'seed';
    case 'snapshot': return 'snapshot';
    case 'macro': return 'macro';
    case 'test': return 'test';
    case 'analysis': return 'analysis';
    case 'exposure': return 'exposure';
    case 'metric': return 'metric';
    case 'semantic_model': return 'semantic_model';
    case 'saved_query': return 'saved_query';
  }
}

function titleOf(node: DbtNode): string {
  return `${node.resourceType.replace('_', ' ')} ${displayName(node)}`;
}

function cite(node: DbtNode, loc: { path: string; startLine: number; endLine: number }, kind: string): Citation {
  return { path: loc.path, startLine: loc.startLine, endLine: loc.endLine, kind, nodeId: node.uniqueId, title: node.name };
}

function docBlockDocument(b: DocBlock): IndexDocument {
  return makeDoc('doc_block', `${b.project}.${b.name}`, `docs block ${b.name}`, b.text,
    { path: b.location.path, startLine: b.location.startLine, endLine: b.location.endLine, kind: 'doc', title: b.name }, [b.name]);
}

function commitDocument(c: Commit): IndexDocument | undefined {
  const files = c.files.map(f => f.oldPath ? `${f.oldPath} -> ${f.path}` : f.path);
  const main = c.files[0];
  if (!main) return undefined;
  const text = `${c.subject}\n${c.body}\nAuthor: ${c.author} <${c.email}> on ${c.date.slice(0, 10)}\nFiles: ${files.join(', ')}`;
  return makeDoc('commit', c.sha, `commit ${c.sha.slice(0, 8)}: ${c.subject}`, text,
    { path: main.path, commit: c.sha, kind: 'commit', title: c.subject }, [c.sha.slice(0, 7), c.sha]);
}

function tableDocument(t: WarehouseTable, snap: WorkspaceSnapshot): IndexDocument {
  const node = t.nodeId ? snap.graph.get(t.nodeId) : undefined;
  const rel = `${t.database}.${t.schema}.${t.name}`;
  const cols = t.columns.map(c => `${c.name} ${c.type}${c.comment ? ` -- ${c.comment}` : ''}`).join('\n');
  const text = `warehouse ${t.kind} ${rel}${t.rowCount !== undefined ? ` (${t.rowCount} rows)` : ''}` +
    `${node ? `, built by dbt ${node.resourceType} ${node.name}` : ''}\n${t.comment ?? ''}\n${cols}`;
  const loc = node?.location;
  const citation: Citation = loc
    ? { path: loc.path, startLine: loc.startLine, endLine: loc.endLine, kind: 'warehouse_table', nodeId: node?.uniqueId, title: rel }
    : { path: snap.catalog?.origin ?? '', kind: 'warehouse_table', title: rel };
  return makeDoc('warehouse_table', rel.toLowerCase(), `${t.kind} ${rel}`, text, citation, [t.name, rel], node?.uniqueId);
}

function unique(xs: string[]): string[] {
  return [...new Set(xs.filter(Boolean))];
}
