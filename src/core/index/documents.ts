// The persisted document list: documents.json (a JSON array of IndexDocument, text and hash included) plus
// documents.log, a journal with one JSON line per commit: {"put":[IndexDocument...],"del":[ids]}.
// Why a journal: at 20k documents documents.json is ~22-27 MB; serialising and fsyncing it took 135-400 ms,
// more than the whole one-document refresh budget (300 ms) on a busy machine. An appended line costs ~1 ms. When the journal outgrows max(4 MB, snapshot/4)
// the whole list is written again (tmp + fsync + rename) and the journal removed.
// A torn last line (crash mid-append, no newline) was never committed and is dropped; an unreadable line
// followed by more lines is corruption (IndexFormatError -> rebuild). Replaying a journal over a newer
// snapshot is harmless: the last operation per id wins either way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IndexDocument } from '../types';
import { appendDurable, readIfExists, removeIfExists, writeFileAtomic } from './atomic';
import { IndexFormatError } from './errors';

const MIN_COMPACT_BYTES = 4 * 1024 * 1024;

function isDocument(x: unknown): x is IndexDocument {
  const d = x as IndexDocument;
  return !!d && typeof d === 'object' && typeof d.id === 'string' && typeof d.hash === 'string'
    && typeof d.text === 'string' && typeof d.title === 'string' && !!d.citation && typeof d.citation === 'object';
}

export class DocumentFile {
  private baseBytes = 0;
  private logBytes = 0;
  /** No snapshot describes the current list yet (new index): the next write is a snapshot, not a journal line. */
  private needsSnapshot = true;

  constructor(readonly file: string) {}

  get logFile(): string {
    return `${this.file.replace(/\.json$/, '')}.log`;
  }

  static inDir(dir: string): DocumentFile {
    return new DocumentFile(path.join(dir, 'documents.json'));
  }

  /** Reads snapshot + journal. Missing snapshot = empty. Throws IndexFormatError when unreadable. */
  async load(): Promise<Map<string, IndexDocument>> {
    const docs = new Map<string, IndexDocument>();
    const base = await readIfExists(this.file);
    if (!base) return docs;
    let list: unknown;
    try {
      list = JSON.parse(base.toString('utf8'));
    } catch {
      throw new IndexFormatError(this.file, 'not valid JSON (truncated or damaged)');
    }
    if (!Array.isArray(list) || !list.every(isDocument)) throw new IndexFormatError(this.file, 'not a list of index documents');
    for (const d of list) docs.set(d.id, d);
    this.baseBytes = base.length;
    this.needsSnapshot = false;
    await this.replay(docs);
    return docs;
  }

  private async replay(docs: Map<string, IndexDocument>): Promise<void> {
    const log = await readIfExists(this.logFile);
    if (!log) return;
    let off = 0;
    while (off < log.length) {
      const nl = log.indexOf(0x0a, off);
      if (nl < 0) break; // torn tail
      const entry = parseEntry(log.toString('utf8', off, nl));
      if (!entry) {
        if (nl + 1 < log.length) throw new IndexFormatError(this.logFile, `damaged journal line at byte ${off}`);
        break;
      }
      for (const id of entry.del) docs.delete(id);
      for (const d of entry.put) docs.set(d.id, d);
      off = nl + 1;
    }
    if (off < log.length) await fs.promises.truncate(this.logFile, off);
    this.logBytes = off;
  }

  /** Appends one committed change (or compacts when the journal grew too big). */
  async append(put: IndexDocument[], del: string[], all: () => Iterable<IndexDocument>): Promise<void> {
    if (this.needsSnapshot) return this.snapshot(all());
    if (!put.length && !del.length) return;
    const line = JSON.stringify({ put, del }) + '\n';
    const bytes = Buffer.byteLength(line);
    if (this.logBytes + bytes > Math.max(MIN_COMPACT_BYTES, this.baseBytes / 4)) return this.snapshot(all());
    await appendDurable(this.logFile, line);
    this.logBytes += bytes;
  }

  /** Journals removals only, never compacting (step 1 of a commit: the in-memory list is already ahead). */
  async appendRemovals(del: string[]): Promise<void> {
    if (!del.length || this.needsSnapshot) return;
    const line = JSON.stringify({ put: [], del }) + '\n';
    await appendDurable(this.logFile, line);
    this.logBytes += Buffer.byteLength(line);
  }

  /** Writes the whole list atomically and drops the journal. */
  async snapshot(docs: Iterable<IndexDocument>): Promise<void> {
    const json = JSON.stringify([...docs]);
    await writeFileAtomic(this.file, json);
    await removeIfExists(this.logFile); // after the rename: a crash in between replays a harmless journal
    this.baseBytes = Buffer.byteLength(json);
    this.logBytes = 0;
    this.needsSnapshot = false;
  }

  diskBytes(): number {
    return this.baseBytes + this.logBytes;
  }
}

function parseEntry(line: string): { put: IndexDocument[]; del: string[] } | undefined {
  try {
    const e = JSON.parse(line) as { put?: unknown; del?: unknown };
    if (!Array.isArray(e.put) || !Array.isArray(e.del) || !e.put.every(isDocument) || !e.del.every(x => typeof x === 'string')) return undefined;
    return { put: e.put, del: e.del };
  } catch {
    return undefined;
  }
}
