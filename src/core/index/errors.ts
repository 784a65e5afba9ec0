// Errors of the index layer.

/** A persisted index file is corrupt, truncated, or of another format/shape. The orchestrator answers with a rebuild. */
export class IndexFormatError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`index file ${file} is unreadable: ${detail} — it will be rebuilt`);
    this.name = 'IndexFormatError';
  }
}

export function isIndexFormatError(e: unknown): e is IndexFormatError {
  return e instanceof IndexFormatError;
}

/** The error an aborted refresh rejects with (same name as DOM's AbortError, so callers can test `e.name`). */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const e = new Error(typeof reason === 'string' ? reason : 'index refresh aborted');
  e.name = 'AbortError';
  return e;
}
