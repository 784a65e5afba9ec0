// What every planner of this family (refactor, staging, airflow, review, run results, optimize) needs: the
// snapshot, the workspace's current texts (unsaved editor text wins, through ReadFile), node lookup, citations.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Citation, DbtNode, ParsedProject, Problem, ResourceType } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import type { EditPlan, FileChange, ReadFile, TextEdit } from './types';

/** The part of the Engine the planners use (the Engine satisfies it; tests may pass a loader-backed stand-in). */
export interface EditEngine {
  snapshot(): Promise<WorkspaceSnapshot>;
}

export interface PlanOptions {
  /** The workspace's text of a file; default: read from disk under the snapshot's root. */
  readFile?: ReadFile;
}

/** Workspace texts read once per plan. */
export class PlanFiles {
  private readonly cache = new Map<string, Promise<string | undefined>>();

  constructor(readonly root: string, private readonly readFile?: ReadFile) {}

  text(rel: string): Promise<string | undefined> {
    let p = this.cache.get(rel);
    if (!p) {
      p = this.readFile ? this.readFile(rel) : fs.readFile(path.isAbsolute(rel) ? rel : path.join(this.root, rel), 'utf8').catch(() => undefined);
      this.cache.set(rel, p);
    }
    return p;
  }

  async exists(rel: string): Promise<boolean> {
    return (await this.text(rel)) !== undefined;
  }
}

export function newPlan(title: string): EditPlan {
  return { title, explanation: '', changes: [], citations: [], problems: [] };
}

export function modifyChange(filePath: string, before: string, edits: TextEdit[]): FileChange {
  return { kind: 'modify', path: filePath, before, edits: sortEdits(edits) };
}

export function sortEdits(edits: TextEdit[]): TextEdit[] {
  return [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Drops exact duplicates (the same span found twice) so the edits never overlap with themselves. */
export function dedupeEdits(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter(e => {
    const k = `${e.start}:${e.end}:${e.newText}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

export function problem(filePath: string, message: string, severity: Problem['severity'] = 'error', line?: number): Problem {
  return line ? { path: filePath, line, message, severity } : { path: filePath, message, severity };
}

const PREFERRED: ResourceType[] = ['model', 'seed', 'snapshot', 'source', 'analysis', 'test', 'macro'];

/** A node by unique_id, path or name; among several, the wanted types first (models before their tests). */
export function findNode(snap: WorkspaceSnapshot, idOrName: string, types: ResourceType[] = PREFERRED): DbtNode | undefined {
  const g = snap.graph;
  const key = idOrName.trim();
  const direct = g.get(key);
  if (direct && types.includes(direct.resourceType)) return direct;
  const all = g.findAll(key).filter(n => types.includes(n.resourceType));
  if (all.length) return all.sort((a, b) => types.indexOf(a.resourceType) - types.indexOf(b.resourceType))[0];
  const r = g.resolve(key.replace(/^\.\//, ''));
  return r && types.includes(r.resourceType) ? r : undefined;
}

export function projectOf(snap: WorkspaceSnapshot, node: DbtNode): ParsedProject | undefined {
  return snap.projects.find(p => p.info.name === node.project);
}

export function nodeCitation(node: DbtNode, kind: string = node.resourceType): Citation {
  const loc = node.location;
  return { path: loc?.path ?? '', startLine: loc?.startLine, endLine: loc?.endLine, kind, nodeId: node.uniqueId, title: node.name };
}

export function yamlCitation(node: DbtNode): Citation | undefined {
  const loc = node.yamlLocation;
  return loc ? { path: loc.path, startLine: loc.startLine, endLine: loc.endLine, kind: `${node.resourceType}_yaml`, nodeId: node.uniqueId, title: `${node.name} (YAML)` } : undefined;
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** `models/a/x.sql` → `models/a`. */
export function dirOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

export function uniqueCitations(cites: Citation[]): Citation[] {
  const seen = new Set<string>();
  return cites.filter(c => {
    const k = `${c.path}|${c.startLine ?? ''}|${c.endLine ?? ''}|${c.nodeId ?? ''}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
