// Finding the repository of a folder: a sub-folder of a clone, a linked worktree (a .git file), and no repository.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findGitDir } from '../../../src/core/git/gitDir';

let root: string;
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@x' } }).trim();

before(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dea-gitdir-')));
  fs.mkdirSync(path.join(root, 'repo/models/marts'), { recursive: true });
  fs.mkdirSync(path.join(root, 'plain/sub'), { recursive: true });
  git(path.join(root, 'repo'), 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(root, 'repo/models/marts/a.sql'), 'select 1\n');
  git(path.join(root, 'repo'), 'add', '-A');
  git(path.join(root, 'repo'), 'commit', '-q', '-m', 'init');
  git(path.join(root, 'repo'), 'worktree', 'add', '-q', path.join(root, 'wt'), '-b', 'feature');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('findGitDir', () => {
  test('a folder inside a clone finds the clone\'s .git, as git itself does', () => {
    const found = findGitDir(path.join(root, 'repo/models/marts'));
    assert.equal(found, path.join(root, 'repo/.git'));
    assert.equal(path.resolve(path.join(root, 'repo/models/marts'), git(path.join(root, 'repo/models/marts'), 'rev-parse', '--git-dir')), found);
  });

  test('a linked worktree points to its own git dir through its .git file', () => {
    const found = findGitDir(path.join(root, 'wt/models'));
    assert.ok(fs.statSync(path.join(root, 'wt/.git')).isFile());
    assert.equal(found, path.resolve(path.join(root, 'wt'), git(path.join(root, 'wt'), 'rev-parse', '--git-dir')));
    assert.ok(fs.existsSync(path.join(found!, 'HEAD')));
  });

  test('a folder outside any repository gives undefined (when the temp dir is not in one)', () => {
    let inRepo = true;
    try { git(path.join(root, 'plain'), 'rev-parse', '--git-dir'); } catch { inRepo = false; }
    if (!inRepo) assert.equal(findGitDir(path.join(root, 'plain/sub')), undefined);
    else assert.ok(findGitDir(path.join(root, 'plain/sub')));
  });
});
