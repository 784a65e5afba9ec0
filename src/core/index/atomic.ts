// Crash-safe file writes for the index folder.
// Whole files: write `<file>.tmp`, fsync, rename over the target, fsync the folder. A crash at any point leaves
// either the old or the new file, never a mix; a leftover `.tmp` is simply overwritten by the next write.
// Journals: appended records are fsynced before the call returns; readers ignore a torn last record.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function tmpPathOf(file: string): string {
  return `${file}.tmp`;
}

/** Writes data to file atomically (tmp + fsync + rename). */
export async function writeFileAtomic(file: string, data: string | Uint8Array | Uint8Array[]): Promise<void> {
  const tmp = tmpPathOf(file);
  const fh = await fs.promises.open(tmp, 'w');
  try {
    const parts = Array.isArray(data) ? data : [typeof data === 'string' ? Buffer.from(data, 'utf8') : data];
    for (const p of parts) await writeAll(fh, p);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, file);
  await syncDir(path.dirname(file));
}

async function writeAll(fh: fs.promises.FileHandle, buf: Uint8Array): Promise<void> {
  let off = 0;
  while (off < buf.byteLength) {
    const { bytesWritten } = await fh.write(buf, off, buf.byteLength - off);
    off += bytesWritten;
  }
}

/** Appends data to file (created when missing) and fsyncs it before resolving. */
export async function appendDurable(file: string, data: Uint8Array | string): Promise<void> {
  const fh = await fs.promises.open(file, 'a');
  try {
    await writeAll(fh, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename durable; a no-op where folders cannot be opened (Windows). */
async function syncDir(dir: string): Promise<void> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(dir, 'r');
    await fh.sync();
  } catch {
    // best effort: the rename itself is atomic, only its durability across power loss depends on this
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Reads a file, or undefined when it does not exist (other errors propagate). */
export async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.promises.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function removeIfExists(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
}

export async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.promises.stat(file)).size;
  } catch {
    return 0;
  }
}

/** 32-bit FNV-1a over bytes: detects torn or garbled journal records (not an integrity hash). */
export function checksum(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
