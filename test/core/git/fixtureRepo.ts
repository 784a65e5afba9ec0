// The shared test repository: adds, edits, renames (across folders and inside one), a delete, a binary file,
// a unicode message with a body, a commit outside models/, a reused path, a re-created file and an empty commit.
import { commit, lines, makeRepo, type Person } from './gitRepo';

export const alice: Person = { name: 'Alice Martin', email: 'alice@example.com' };
export const bob: Person = { name: 'Bob Stone', email: 'bob@example.com' };
export const carol: Person = { name: 'Carol Ünal', email: 'carol@example.com' };

export const UNICODE_SUBJECT = 'Déplacer legacy → models ✓';
export const UNICODE_BODY = 'Pourquoi: le modèle 数据 doit vivre sous models/.\n\nRefs #42';
export const SPACED_PATH = 'models/marts/my model é.sql';

export interface Fixture {
  dir: string;
  /** c1..c10 in creation order. */
  sha: Record<string, string>;
}

const day = (d: number) => `2024-01-0${d}T10:00:00+02:00`;

export function buildFixture(): Fixture {
  const dir = makeRepo('fixture');
  const sha: Record<string, string> = {};
  const orders = lines(5, 'orders');
  sha.c1 = commit(dir, {
    author: alice, date: day(1), message: 'Initial import',
    write: {
      'models/staging/stg_orders.sql': lines(10, 'stg'),
      'models/marts/orders.sql': orders,
      [SPACED_PATH]: 'select 1\n',
      'README.md': lines(4, 'readme'),
      'data/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3, 0, 255]),
      'old/legacy.sql': lines(20, 'legacy'),
    },
  });
  sha.c2 = commit(dir, {
    author: bob, date: day(2), message: 'Fix orders rounding',
    write: { 'models/marts/orders.sql': orders.replace('orders line 5', 'orders line five') + 'orders line 6\n' },
  });
  sha.c3 = commit(dir, {
    author: alice, date: day(3), message: `${UNICODE_SUBJECT}\n\n${UNICODE_BODY}\n`,
    rename: [['old/legacy.sql', 'models/legacy.sql']],
    write: { 'models/legacy.sql': lines(20, 'legacy') + 'legacy line 21\n' },
  });
  sha.c4 = commit(dir, {
    author: carol, date: day(4), message: 'Rename staging orders',
    rename: [['models/staging/stg_orders.sql', 'models/staging/stg_orders_v2.sql']],
    write: { 'models/staging/stg_orders_v2.sql': lines(10, 'stg').replace('stg line 3', 'stg line three') },
  });
  sha.c5 = commit(dir, {
    author: bob, date: day(5), message: 'Remove readme, new logo',
    remove: ['README.md'],
    write: { 'data/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 9, 9, 9, 0, 254]) },
  });
  sha.c6 = commit(dir, { author: carol, date: day(6), message: 'Docs only', write: { 'docs/guide.md': '# Guide\n' } });
  sha.c7 = commit(dir, {
    author: bob, date: day(7), message: 'Tweak legacy',
    write: { 'models/legacy.sql': lines(20, 'legacy') + 'legacy line 21\nlegacy line 22\n' },
  });
  sha.c8 = commit(dir, { author: carol, date: day(8), message: 'Reuse old name', write: { 'old/legacy.sql': 'select 42\n' } });
  sha.c9 = commit(dir, { author: alice, date: day(9), message: 'Restore readme', write: { 'README.md': lines(2, 'new readme') } });
  sha.c10 = commit(dir, { author: alice, date: '2024-01-10T10:00:00+02:00', message: 'Empty marker', allowEmpty: true });
  return { dir, sha };
}
