// Writes the planned history into a real repository with one `git fast-import` stream, then checks it out.
import { spawn, spawnSync } from 'node:child_process';
import type { Writable } from 'node:stream';
import type { HistoryPlan } from './history';
import type { ProjectFile } from './project';
import { VersionRenderer } from './versions';

const FLUSH_BYTES = 1 << 20;

export async function writeRepository(dir: string, files: ProjectFile[], plan: HistoryPlan): Promise<void> {
  git(dir, ['init', '-q', '-b', 'main']);
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', d => { stderr += String(d); });
  child.stdin.on('error', () => undefined); // a dying fast-import closes the pipe; its exit code and stderr say why
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', code => resolve(code ?? 1));
  });
  const out = new ChunkedWriter(child.stdin, exited);
  try {
    await streamCommits(out, files, plan);
    out.push('done\n');
    await out.end();
  } catch (e) {
    child.kill();
    throw e;
  }
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import failed (exit ${code}) in ${dir}: ${stderr.trim() || 'no message'}`);
  git(dir, ['-c', 'core.autocrlf=false', 'reset', '--hard', '-q']);
}

async function streamCommits(out: ChunkedWriter, files: ProjectFile[], plan: HistoryPlan): Promise<void> {
  const renamed = new Set(plan.commits.flatMap(c => c.touches.filter(t => t.action === 'rename').map(t => t.file)));
  const current = files.map((f, i) => (renamed.has(i) ? f.formerPath! : f.path));
  const seen = files.map(() => 0);
  const renderer = new VersionRenderer(files.map(f => f.path), files.map(f => f.content));
  for (let i = 0; i < plan.commits.length; i++) {
    const c = plan.commits[i];
    const a = plan.authors[c.author];
    const msg = c.body ? `${c.subject}\n\n${c.body}\n` : `${c.subject}\n`;
    const who = `${a.name} <${a.email}> ${c.time} ${a.tz}`;
    out.push(`commit refs/heads/main\nmark :${i + 1}\nauthor ${who}\ncommitter ${who}\n${data(msg)}`);
    for (const t of c.touches) {
      if (t.action === 'rename') {
        out.push(`R ${current[t.file]} ${files[t.file].path}\n`);
        current[t.file] = files[t.file].path;
        continue;
      }
      const text = renderer.render(t.file, seen[t.file]++, plan.versions[t.file]);
      out.push(`M 100644 inline ${current[t.file]}\n${data(text)}`);
    }
    out.push('\n');
    await out.maybeFlush();
  }
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/** Batches small strings into ~1 MB writes and respects the pipe's backpressure. */
class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;

  /** `closed` settles when the reader exits: stop waiting for a drain that will never come. */
  constructor(private readonly stream: Writable, private readonly closed: Promise<unknown>) {}

  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }

  async maybeFlush(): Promise<void> {
    if (this.size >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.parts.length) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (this.stream.write(chunk)) return;
    await Promise.race([new Promise<void>(resolve => this.stream.once('drain', resolve)), this.closed.catch(() => undefined)]);
  }

  async end(): Promise<void> {
    await this.flush();
    await Promise.race([new Promise<void>(resolve => this.stream.end(resolve)), this.closed.catch(() => undefined)]);
  }
}

export function git(dir: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) throw new Error(`could not run git ${args[0]}: ${r.error.message}; is git installed and on PATH?`);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${dir}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}
