// Runs one git command and keeps everything it printed, even when it fails midway: a damaged
// repository still yields the commits git managed to print before it stopped.
import { spawn } from 'node:child_process';

export interface GitResult {
  /** Exit code; null when git could not be started or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the git executable could not be started (not installed, not on PATH). */
  notFound?: boolean;
}

// Variables that would point git at another repository than the folder it runs in
// (they are set, for instance, when tests run inside a git hook).
const REPO_ENV = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_NAMESPACE', 'GIT_COMMON_DIR', 'GIT_PREFIX'];

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANGUAGE: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
  for (const k of REPO_ENV) delete env[k];
  return env;
}

/** Runs `git <args>` in `cwd`. Never rejects. */
export function runGit(args: string[], cwd: string, gitPath = 'git'): Promise<GitResult> {
  return new Promise(resolve => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const finish = (r: GitResult) => { if (!settled) { settled = true; resolve(r); } };
    const child = spawn(gitPath, args, { cwd, env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', e => {
      const code = (e as NodeJS.ErrnoException).code;
      finish({ code: null, stdout: '', stderr: e.message, notFound: code === 'ENOENT' || code === 'EACCES' });
    });
    child.on('close', code => finish({
      code,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    }));
  });
}

/** The first meaningful line of git's stderr, for messages. */
export function gitError(stderr: string): string {
  const lines = stderr.split('\n').map(l => l.trim()).filter(Boolean);
  const fatal = lines.find(l => /^(fatal|error):/.test(l));
  return (fatal ?? lines[0] ?? 'git failed without a message').replace(/^(fatal|error):\s*/, '');
}
