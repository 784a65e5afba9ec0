// Reading dbt artifacts that dbt may be rewriting at this very moment.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

export type ArtifactProblem = 'missing' | 'incomplete' | 'unreadable' | 'invalid' | 'mismatch';

/** A dbt artifact that exists but cannot be used; `message` says what to do. */
export class ArtifactError extends Error {
  constructor(message: string, readonly path: string, readonly problem: ArtifactProblem) {
    super(message);
    this.name = 'ArtifactError';
  }
}

export interface ReadJsonOptions {
  /** Retries after the first attempt (default 5). */
  retries?: number;
  /** Wait between attempts (default 200 ms). */
  delayMs?: number;
  /** How messages name the file (default: its folder and name, e.g. 'target/manifest.json'). */
  label?: string;
}

type Attempt = { ok: true; value: unknown } | { ok: false; missing?: boolean; error: string };

function errnoCode(e: unknown): string | undefined {
  return e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

async function readOnce(absPath: string): Promise<Attempt> {
  try {
    const before = await stat(absPath);
    const buf = await readFile(absPath);
    const after = await stat(absPath);
    // A writer in progress shows as a size/mtime change between the two stats or a short read.
    if (before.size !== after.size || buf.length !== after.size || before.mtimeMs !== after.mtimeMs) {
      return { ok: false, error: 'the file changed while it was read' };
    }
    if (!buf.length) return { ok: false, error: 'the file is empty' };
    const text = buf.toString('utf8');
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') return { ok: false, missing: true, error: 'the file does not exist' };
    if (e instanceof SyntaxError) return { ok: false, error: e.message };
    throw e;
  }
}

const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

/** JSON.parse of a file, retrying while it is incomplete or changing (dbt writing it); then a clear ArtifactError. */
export async function readJsonAtomically<T = unknown>(absPath: string, opts: ReadJsonOptions = {}): Promise<T> {
  const retries = Math.max(0, opts.retries ?? 5);
  const delayMs = Math.max(0, opts.delayMs ?? 200);
  const label = opts.label ?? `${basename(dirname(absPath))}/${basename(absPath)}`;
  let last = '';
  for (let attempt = 0; ; attempt++) {
    let r: Attempt;
    try {
      r = await readOnce(absPath);
    } catch (e) {
      throw new ArtifactError(`cannot read ${label}: ${(e as Error).message}; check the file's permissions`, absPath, 'unreadable');
    }
    if (r.ok) return r.value as T;
    // Missing on the first look means there is no artifact; later it may be a writer replacing the file.
    if (r.missing && attempt === 0) {
      throw new ArtifactError(`${label} not found; run \`dbt parse\` (or any dbt command) to create it`, absPath, 'missing');
    }
    last = r.error;
    if (attempt >= retries) break;
    await sleep(delayMs);
  }
  throw new ArtifactError(
    `${label} is incomplete — dbt may still be writing it; try again after the run finishes (last problem: ${last})`,
    absPath, 'incomplete');
}
