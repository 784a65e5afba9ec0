import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HistoryIndex, readHistory } from '../../../src/core/git/history';
import type { Commit, GitHistoryData } from '../../../src/core/types';
import { removeDir } from './gitRepo';
import { alice, bob, buildFixture, carol, SPACED_PATH, type Fixture } from './fixtureRepo';

let fx: Fixture;
let ix: HistoryIndex;

before(async () => {
  fx = buildFixture();
  ix = new HistoryIndex(await readHistory(fx.dir));
});
after(() => removeDir(fx.dir));

const shas = (commits: Commit[]) => commits.map(c => c.sha);
const keys = (...k: string[]) => k.map(x => fx.sha[x]);

describe('HistoryIndex.fileHistory', () => {
  test('lists the commits touching a file, newest first', () => {
    assert.deepEqual(shas(ix.fileHistory('models/marts/orders.sql')), keys('c2', 'c1'));
    assert.deepEqual(shas(ix.fileHistory(SPACED_PATH)), keys('c1'));
  });

  test('follows a rename across folders back to the old name', () => {
    assert.deepEqual(shas(ix.fileHistory('models/legacy.sql')), keys('c7', 'c3', 'c1'));
    assert.deepEqual(ix.pathsEverNamed('models/legacy.sql'), ['old/legacy.sql']);
  });

  test('follows a rename inside a folder', () => {
    assert.deepEqual(shas(ix.fileHistory('models/staging/stg_orders_v2.sql')), keys('c4', 'c1'));
    assert.deepEqual(ix.pathsEverNamed('models/staging/stg_orders_v2.sql'), ['models/staging/stg_orders.sql']);
  });

  test('a former name yields its own history up to the rename', () => {
    assert.deepEqual(shas(ix.fileHistory('models/staging/stg_orders.sql')), keys('c4', 'c1'));
  });

  test('a name reused by a new file does not inherit the renamed file\'s history', () => {
    // old/legacy.sql moved to models/ in c3; c8 created an unrelated old/legacy.sql.
    assert.deepEqual(shas(ix.fileHistory('old/legacy.sql')), keys('c8'));
    assert.deepEqual(ix.pathsEverNamed('old/legacy.sql'), []);
  });

  test('a deleted then re-created file keeps its earlier history', () => {
    assert.deepEqual(shas(ix.fileHistory('README.md')), keys('c9', 'c5', 'c1'));
    assert.deepEqual(ix.fileChanges('README.md').map(pc => pc.change.status), ['A', 'D', 'A']);
  });

  test('accepts ./ and backslash spellings; unknown paths are empty', () => {
    assert.deepEqual(shas(ix.fileHistory('.\\models\\legacy.sql')), keys('c7', 'c3', 'c1'));
    assert.deepEqual(ix.fileHistory('models/nope.sql'), []);
    assert.equal(ix.lastChange('models/nope.sql'), undefined);
  });
});

describe('HistoryIndex lookups', () => {
  test('lastChange is the newest commit touching the file', () => {
    assert.equal(ix.lastChange('models/marts/orders.sql')?.sha, fx.sha.c2);
    assert.equal(ix.lastChange('data/logo.png')?.sha, fx.sha.c5);
  });

  test('authorsOf counts commits and lines per author, renames followed', () => {
    const stats = ix.authorsOf('models/legacy.sql');
    assert.deepEqual(stats.map(s => [s.name, s.email, s.commits, s.additions, s.deletions]), [
      [alice.name, alice.email, 2, 21, 0],
      [bob.name, bob.email, 1, 1, 0],
    ]);
    assert.equal(stats[0].lastDate, '2024-01-03T08:00:00.000Z');
    assert.deepEqual(ix.authorsOf('models/staging/stg_orders_v2.sql').map(s => s.name), [carol.name, alice.name]);
  });

  test('commit finds full shas and unique prefixes, case-insensitively', () => {
    const sha = fx.sha.c4;
    assert.equal(ix.commit(sha)?.sha, sha);
    assert.equal(ix.commit(sha.slice(0, 7).toUpperCase())?.sha, sha);
    assert.equal(ix.commit(sha.slice(0, 3)), undefined, 'prefixes under 4 digits are refused');
    assert.equal(ix.commit(fx.sha.c10), undefined, 'the dropped empty commit is not indexed');
    assert.equal(ix.commit('zzzzzzz'), undefined);
  });

  test('an ambiguous prefix finds nothing', () => {
    const mk = (sha: string): Commit => ({ sha, author: 'a', email: 'a@x', date: '2024-01-01T00:00:00.000Z', subject: sha, body: '', files: [] });
    const data: GitHistoryData = { commits: [mk('abcd1' + '0'.repeat(35)), mk('abcd2' + '0'.repeat(35))], partial: false };
    const small = new HistoryIndex(data);
    assert.equal(small.commit('abcd'), undefined);
    assert.equal(small.commit('abcd2')?.sha, data.commits[1].sha);
  });

  test('commitsMatching searches subjects and bodies, case-insensitively', () => {
    assert.deepEqual(shas(ix.commitsMatching('数据')), keys('c3'));
    assert.deepEqual(shas(ix.commitsMatching('DÉPLACER')), keys('c3'));
    assert.deepEqual(shas(ix.commitsMatching('orders')), keys('c4', 'c2'));
    assert.deepEqual(ix.commitsMatching('   '), []);
  });

  test('paths lists current and former names', () => {
    const paths = ix.paths();
    for (const p of ['models/legacy.sql', 'old/legacy.sql', 'models/staging/stg_orders.sql', 'README.md', 'docs/guide.md']) {
      assert.ok(paths.includes(p), p);
    }
  });
});
