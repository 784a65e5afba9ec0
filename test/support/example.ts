// A private copy of the bundled example project, with a scripted git history, for tests that must not
// touch the repository's own tree.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const EXAMPLE = path.resolve(__dirname, '../../examples/shopwise');

export interface ExampleCopy {
  dir: string;
  git(args: string[], author?: string, date?: string): string;
  cleanup(): void;
}

/** Copies examples/shopwise (without built artifacts) and commits it in three steps by three authors, with a rename. */
export function copyExample(opts: { history?: boolean } = {}): ExampleCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-example-'));
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: src => !/\.duckdb(\.wal)?$|[\\/]target([\\/]|$)/.test(src) });
  const git = (args: string[], author = 'Ada Analyst', date = '2025-01-01T10:00:00Z') => execFileSync('git', args, {
    cwd: dir, encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: `${author.split(' ')[0].toLowerCase()}@example.com`, GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: 'ci@example.com', GIT_COMMITTER_DATE: date },
  });
  if (opts.history !== false) {
    git(['init', '-q', '-b', 'main']);
    const orders = 'models/marts/core/fct_orders.sql';
    const moved = path.join(dir, 'models/marts/core/orders_fact.sql');
    fs.renameSync(path.join(dir, orders), moved); // first committed under an older name
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'Initial shopwise project'], 'Ada Analyst', '2025-01-01T10:00:00Z');
    fs.renameSync(moved, path.join(dir, orders));
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'Rename orders_fact to fct_orders'], 'Bo Builder', '2025-02-01T10:00:00Z');
    fs.appendFileSync(path.join(dir, orders), '\n-- net revenue excludes shipping\n');
    git(['commit', '-q', '-am', 'Document that net revenue excludes shipping'], 'Cy Checker', '2025-03-01T10:00:00Z');
  }
  return { dir, git, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
