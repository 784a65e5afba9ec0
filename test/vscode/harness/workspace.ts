// A throw-away copy of examples/shopwise for one test run: git history with two authors (so history lenses and
// commit citations have something to show) and workspace settings that keep the run offline and fast.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { EXAMPLE } from './paths';

export interface TestWorkspace {
  dir: string;
  /** sha of the newest commit (it changed models/marts/core/fct_orders.sql). */
  head: string;
  cleanup(): void;
}

const SKIP = /(^|\/)(target|dbt_packages|logs|\.dea)(\/|$)|\.duckdb\.wal$/;
export const CHANGED_MODEL = 'models/marts/core/fct_orders.sql';

/** Builds the example's DuckDB warehouse from its seeds when missing or stale (git-ignored), so copies include it. */
export async function prepareExampleWarehouse(): Promise<void> {
  const built = await ensureExampleWarehouse(EXAMPLE);
  if (built) console.log(`built the example warehouse ${built.dbPath}: ${built.built} relations${built.failed.length ? `, ${built.failed.length} failed` : ''}`);
}

/** `settings` null: no workspace settings at all (a new user's first open). */
export function makeWorkspace(settings: Record<string, unknown> | null = {}): TestWorkspace {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-ws-'));
  const dir = path.join(parent, 'shopwise');
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: src => !SKIP.test(path.relative(EXAMPLE, src).split(path.sep).join('/')) });
  if (settings) {
    fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.vscode/settings.json'), JSON.stringify({
      'dea.embeddings.kind': 'hashed', 'dea.refresh.debounceMs': 300, ...settings,
    }, null, 2));
  }
  fs.writeFileSync(path.join(dir, '.gitignore'), '.vscode/\ntarget/\n*.duckdb.wal\n');
  const git = (args: string[], env: Record<string, string> = {}) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
  const as = (name: string, date: Date) => ({ GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: `${name.split(' ')[0].toLowerCase()}@shopwise.example`, GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: `${name.split(' ')[0].toLowerCase()}@shopwise.example`, GIT_AUTHOR_DATE: date.toISOString(), GIT_COMMITTER_DATE: date.toISOString() });
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'Initial Shopwise dbt project'], as('Ada Analyst', new Date(Date.now() - 40 * 86400_000)));
  fs.appendFileSync(path.join(dir, CHANGED_MODEL), '\n-- grain: one row per order\n');
  git(['commit', '-q', '-am', 'Document the grain of fct_orders'], as('Bo Builder', new Date(Date.now() - 3 * 86400_000 - 3600_000)));
  const head = git(['rev-parse', 'HEAD']);
  return { dir, head, cleanup: () => fs.rmSync(parent, { recursive: true, force: true }) };
}
