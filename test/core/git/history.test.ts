import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readHistory, updateHistory } from '../../../src/core/git/history';
import type { Commit, FileChange } from '../../../src/core/types';
import { commit, git, makeRepo, removeDir, tempDir } from './gitRepo';
import { alice, bob, buildFixture, carol, SPACED_PATH, UNICODE_BODY, UNICODE_SUBJECT, type Fixture } from './fixtureRepo';

let fx: Fixture;
const cleanup: string[] = [];

before(() => { fx = buildFixture(); cleanup.push(fx.dir); });
after(() => { for (const d of cleanup) removeDir(d); });

function bySha(commits: Commit[], sha: string): Commit {
  const c = commits.find(x => x.sha === sha);
  assert.ok(c, `commit ${sha} missing`);
  return c;
}

function file(c: Commit, p: string): FileChange {
  const f = c.files.find(x => x.path === p);
  assert.ok(f, `${p} missing in "${c.subject}": ${c.files.map(x => x.path).join(', ')}`);
  return f;
}

/** A copy of the fixture to damage or move without disturbing the other tests. */
function copyFixture(tag: string): string {
  const dir = tempDir(tag);
  fs.cpSync(fx.dir, dir, { recursive: true });
  cleanup.push(dir);
  return dir;
}

describe('readHistory on a full repository', () => {
  test('lists every commit that changes files, newest first, with authors and UTC ISO dates', async () => {
    const h = await readHistory(fx.dir);
    assert.equal(h.partial, false);
    assert.equal(h.reason, undefined);
    assert.equal(h.head, git(fx.dir, ['rev-parse', 'HEAD']).trim());
    // c10 is an empty commit: it touches nothing, so it is dropped.
    assert.deepEqual(h.commits.map(c => c.sha), ['c9', 'c8', 'c7', 'c6', 'c5', 'c4', 'c3', 'c2', 'c1'].map(k => fx.sha[k]));
    const c2 = bySha(h.commits, fx.sha.c2);
    assert.equal(c2.author, bob.name);
    assert.equal(c2.email, bob.email);
    assert.equal(c2.date, '2024-01-02T08:00:00.000Z');
    assert.equal(c2.subject, 'Fix orders rounding');
    assert.equal(c2.body, '');
    assert.equal(bySha(h.commits, fx.sha.c4).author, carol.name);
  });

  test('counts added and deleted lines per file; binary files count 0', async () => {
    const h = await readHistory(fx.dir);
    assert.deepEqual(file(bySha(h.commits, fx.sha.c2), 'models/marts/orders.sql'),
      { path: 'models/marts/orders.sql', additions: 2, deletions: 1, status: 'M' });
    const c1 = bySha(h.commits, fx.sha.c1);
    assert.equal(c1.files.length, 6);
    assert.ok(c1.files.every(f => f.status === 'A' && f.oldPath === undefined));
    assert.equal(file(c1, 'old/legacy.sql').additions, 20);
    assert.deepEqual(file(c1, 'data/logo.png'), { path: 'data/logo.png', additions: 0, deletions: 0, status: 'A' });
    assert.deepEqual(file(bySha(h.commits, fx.sha.c5), 'data/logo.png'),
      { path: 'data/logo.png', additions: 0, deletions: 0, status: 'M' });
  });

  test('keeps paths with spaces and non-ASCII characters intact', async () => {
    const h = await readHistory(fx.dir);
    assert.equal(file(bySha(h.commits, fx.sha.c1), SPACED_PATH).additions, 1);
  });

  test('detects a rename across folders that also edits the file', async () => {
    const c3 = bySha((await readHistory(fx.dir)).commits, fx.sha.c3);
    assert.deepEqual(c3.files, [{ path: 'models/legacy.sql', oldPath: 'old/legacy.sql', additions: 1, deletions: 0, status: 'R' }]);
  });

  test('detects a rename inside one folder (git shows it as dir/{a => b})', async () => {
    const c4 = bySha((await readHistory(fx.dir)).commits, fx.sha.c4);
    assert.deepEqual(c4.files, [{
      path: 'models/staging/stg_orders_v2.sql', oldPath: 'models/staging/stg_orders.sql',
      additions: 1, deletions: 1, status: 'R',
    }]);
  });

  test('reports a delete with the removed lines', async () => {
    const c5 = bySha((await readHistory(fx.dir)).commits, fx.sha.c5);
    assert.deepEqual(file(c5, 'README.md'), { path: 'README.md', additions: 0, deletions: 4, status: 'D' });
  });

  test('keeps a unicode subject and a multi-paragraph body', async () => {
    const c3 = bySha((await readHistory(fx.dir)).commits, fx.sha.c3);
    assert.equal(c3.subject, UNICODE_SUBJECT);
    assert.equal(c3.body, UNICODE_BODY);
    assert.equal(c3.author, alice.name);
  });

  test('maxCommits keeps the newest commits and flags the cut', async () => {
    const h = await readHistory(fx.dir, { maxCommits: 4 });
    // git counts the empty commit too, then it is dropped: c9, c8, c7 remain.
    assert.deepEqual(h.commits.map(c => c.sha), [fx.sha.c9, fx.sha.c8, fx.sha.c7]);
    assert.equal(h.truncated, true);
    assert.equal(h.partial, false);
    assert.equal((await readHistory(fx.dir)).truncated, undefined);
  });
});

describe('readHistory on a workspace that is a subfolder of the repository', () => {
  test('keeps only changes inside the folder, with folder-relative paths', async () => {
    const h = await readHistory(path.join(fx.dir, 'models'));
    assert.equal(h.partial, false);
    // c5 (readme, logo), c6 (docs), c8 (old/), c9 (readme) touch nothing under models/.
    assert.deepEqual(h.commits.map(c => c.sha), ['c7', 'c4', 'c3', 'c2', 'c1'].map(k => fx.sha[k]));
    const c1 = bySha(h.commits, fx.sha.c1);
    assert.deepEqual(c1.files.map(f => f.path).sort(),
      ['marts/my model é.sql', 'marts/orders.sql', 'staging/stg_orders.sql']);
    assert.deepEqual(bySha(h.commits, fx.sha.c4).files[0],
      { path: 'staging/stg_orders_v2.sql', oldPath: 'staging/stg_orders.sql', additions: 1, deletions: 1, status: 'R' });
  });

  test('a file moved in from outside the folder is an add', async () => {
    const h = await readHistory(path.join(fx.dir, 'models'));
    assert.deepEqual(bySha(h.commits, fx.sha.c3).files, [{ path: 'legacy.sql', additions: 21, deletions: 0, status: 'A' }]);
  });

  test('a nested folder works the same', async () => {
    const h = await readHistory(path.join(fx.dir, 'models', 'staging'));
    assert.deepEqual(h.commits.map(c => c.files.map(f => `${f.status} ${f.oldPath ?? ''}>${f.path}`)),
      [['R stg_orders.sql>stg_orders_v2.sql'], ['A >stg_orders.sql']]);
  });
});

describe('incremental reads', () => {
  test('sinceSha reads only the commits after it', async () => {
    const h = await readHistory(fx.dir, { sinceSha: fx.sha.c6 });
    assert.equal(h.since, fx.sha.c6);
    assert.deepEqual(h.commits.map(c => c.sha), [fx.sha.c9, fx.sha.c8, fx.sha.c7]);
    const none = await readHistory(fx.dir, { sinceSha: fx.sha.c10 });
    assert.equal(none.since, fx.sha.c10);
    assert.deepEqual(none.commits, []);
  });

  test('an unknown sinceSha falls back to a full read', async () => {
    const h = await readHistory(fx.dir, { sinceSha: 'deadbeef'.repeat(5) });
    assert.equal(h.since, undefined);
    assert.equal(h.commits.length, 9);
    assert.equal((await readHistory(fx.dir, { sinceSha: '--all' })).since, undefined);
  });

  test('updateHistory adds new commits to a previous read, and re-reads after a rewrite', async () => {
    const dir = copyFixture('update');
    const first = await readHistory(dir);
    const c11 = commit(dir, { author: carol, date: '2024-02-01T00:00:00Z', message: 'More orders', write: { 'models/marts/orders.sql': 'x\n' } });
    const updated = await updateHistory(dir, first);
    assert.equal(updated.since, undefined);
    assert.equal(updated.head, c11);
    assert.deepEqual(updated, await readHistory(dir));
    assert.equal(updated.commits.length, 10);

    // Rewriting the newest commit: the previous head is no longer an ancestor of HEAD.
    git(dir, ['commit', '-q', '--amend', '-m', 'More orders (amended)'], {
      GIT_AUTHOR_NAME: 'x', GIT_AUTHOR_EMAIL: 'x@x', GIT_COMMITTER_NAME: 'x', GIT_COMMITTER_EMAIL: 'x@x',
    });
    const incremental = await readHistory(dir, { sinceSha: c11 });
    assert.equal(incremental.since, undefined, 'a rewritten head must trigger a full read');
    const rewritten = await updateHistory(dir, updated);
    assert.deepEqual(rewritten, await readHistory(dir));
    assert.equal(rewritten.commits[0].subject, 'More orders (amended)');
    assert.ok(!rewritten.commits.some(c => c.sha === c11));
  });
});

describe('degraded repositories', () => {
  test('a shallow clone yields its commits, flagged partial', async () => {
    const dir = tempDir('shallow');
    cleanup.push(dir);
    git(dir, ['clone', '-q', '--depth', '2', `file://${fx.dir}`, 'clone']);
    const h = await readHistory(path.join(dir, 'clone'));
    assert.equal(h.partial, true);
    assert.match(h.reason ?? '', /shallow/);
    // depth 2 = c10 (empty, dropped) and c9, whose parent is cut off so everything it holds shows as added.
    assert.deepEqual(h.commits.map(c => c.sha), [fx.sha.c9]);
    assert.ok(h.commits[0].files.some(f => f.path === 'models/legacy.sql' && f.status === 'A'));
  });

  test('a missing object yields the readable history, flagged partial with the git error', async () => {
    const dir = copyFixture('broken');
    // The first version of orders.sql is only needed to diff c1 and c2.
    const blob = git(dir, ['rev-parse', `${fx.sha.c1}:models/marts/orders.sql`]).trim();
    fs.rmSync(path.join(dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const h = await readHistory(dir);
    assert.equal(h.partial, true);
    assert.match(h.reason ?? '', new RegExp(`git log failed.*${blob}`));
    // Every commit is still listed; the ones after the damage keep their line counts.
    assert.equal(h.commits.length, 9);
    assert.equal(file(bySha(h.commits, fx.sha.c7), 'models/legacy.sql').additions, 1);
    // c2 could only be read without line counts.
    assert.deepEqual(file(bySha(h.commits, fx.sha.c2), 'models/marts/orders.sql'),
      { path: 'models/marts/orders.sql', additions: 0, deletions: 0, status: 'M' });
  });

  test('a missing tree still lists the commit messages at the repository root', async () => {
    const dir = copyFixture('notree');
    const tree = git(dir, ['rev-parse', `${fx.sha.c2}^{tree}`]).trim();
    fs.rmSync(path.join(dir, '.git', 'objects', tree.slice(0, 2), tree.slice(2)));
    const h = await readHistory(dir);
    assert.equal(h.partial, true);
    assert.ok(h.commits.some(c => c.sha === fx.sha.c9 && c.files.length > 0));
    assert.ok(h.commits.some(c => c.sha === fx.sha.c1), 'commits beyond the damaged tree are listed');
  });

  test('a plain folder is not a repository', async () => {
    const dir = tempDir('plain');
    cleanup.push(dir);
    fs.writeFileSync(path.join(dir, 'a.sql'), 'select 1\n');
    assert.deepEqual(await readHistory(dir, { gitPath: 'git' }), { commits: [], partial: true, reason: 'not a git repository' });
  });

  test('an empty repository is empty, not partial', async () => {
    const dir = makeRepo('empty');
    cleanup.push(dir);
    const h = await readHistory(dir);
    assert.deepEqual(h.commits, []);
    assert.equal(h.partial, false);
    assert.equal(h.head, undefined);
  });

  test('a missing git executable is reported, not thrown', async () => {
    const h = await readHistory(fx.dir, { gitPath: path.join(fx.dir, 'no-such-git') });
    assert.equal(h.partial, true);
    assert.match(h.reason ?? '', /git is not installed/);
    assert.deepEqual(h.commits, []);
  });

  test('a workspace folder that does not exist is reported', async () => {
    const h = await readHistory(path.join(fx.dir, 'nope'));
    assert.equal(h.partial, true);
    assert.match(h.reason ?? '', /does not exist/);
  });
});
