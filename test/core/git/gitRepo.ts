// Builds real git repositories in temp folders for the git tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Keep the tester's own git configuration (signing, hooks, templates) out of the fixtures.
const BASE_ENV: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' };
for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete BASE_ENV[k];

export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): string {
  return execFileSync('git', args, { cwd, env: { ...BASE_ENV, ...env }, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dea-git-${tag}-`));
}

export function makeRepo(tag = 'repo'): string {
  const dir = tempDir(tag);
  git(dir, ['init', '-q', '-b', 'main']);
  return dir;
}

export interface Person {
  name: string;
  email: string;
}

export interface CommitSpec {
  author: Person;
  /** ISO date with offset, used as author and committer date. */
  date: string;
  message: string;
  write?: Record<string, string | Buffer>;
  remove?: string[];
  /** [from, to] pairs moved with `git mv` before `write` applies (so a rename can carry edits). */
  rename?: [string, string][];
  allowEmpty?: boolean;
}

/** Makes one commit and returns its full sha. */
export function commit(repo: string, spec: CommitSpec): string {
  for (const [from, to] of spec.rename ?? []) {
    fs.mkdirSync(path.dirname(path.join(repo, to)), { recursive: true });
    git(repo, ['mv', from, to]);
  }
  for (const [rel, content] of Object.entries(spec.write ?? {})) {
    const abs = path.join(repo, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  for (const rel of spec.remove ?? []) git(repo, ['rm', '-q', rel]);
  git(repo, ['add', '-A']);
  const env = {
    GIT_AUTHOR_NAME: spec.author.name, GIT_AUTHOR_EMAIL: spec.author.email, GIT_AUTHOR_DATE: spec.date,
    GIT_COMMITTER_NAME: spec.author.name, GIT_COMMITTER_EMAIL: spec.author.email, GIT_COMMITTER_DATE: spec.date,
  };
  git(repo, ['commit', '-q', ...(spec.allowEmpty ? ['--allow-empty'] : []), '-F', '-'], env, spec.message);
  return git(repo, ['rev-parse', 'HEAD']).trim();
}

export function lines(n: number, tag: string): string {
  return Array.from({ length: n }, (_, k) => `${tag} line ${k + 1}`).join('\n') + '\n';
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
