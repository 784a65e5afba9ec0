// A throw-away copy of examples/shopwise for one test run: git history with two authors (so history lenses and
// commit citations have something to show) and workspace settings that keep the run offline and fast.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { EXAMPLE, HELPDESK } from './paths';

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
export function makeWorkspace(settings: Record<string, unknown> | null = {}, parent = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-ws-'))): TestWorkspace {
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

export interface MultiRootWorkspace {
  /** The `.code-workspace` file. */
  file: string;
  /** Folder paths by name: shopwise (the example), support (a second dbt project), notes (no dbt project). */
  folders: { shopwise: string; support: string; notes: string };
  /** sha of shopwise's newest commit. */
  head: string;
  cleanup(): void;
}

/**
 * A multi-root workspace: the example (with its history and warehouse), a second small dbt project with a git
 * history of its own (test/fixtures/vscode/helpdesk, one file at the same path as one of the example's), and a
 * folder of notes with no dbt project. Settings that keep the run offline and fast live in the workspace file.
 */
export function makeMultiRootWorkspace(): MultiRootWorkspace {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-mr-'));
  const shopwise = makeWorkspace({}, parent);
  const support = path.join(parent, 'support');
  fs.cpSync(HELPDESK, support, { recursive: true });
  const git = (args: string[]) => execFileSync('git', args, { cwd: support, encoding: 'utf8', env: { ...process.env,
    GIT_AUTHOR_NAME: 'Cy Support', GIT_AUTHOR_EMAIL: 'cy@helpdesk.example', GIT_COMMITTER_NAME: 'Cy Support', GIT_COMMITTER_EMAIL: 'cy@helpdesk.example',
    GIT_AUTHOR_DATE: new Date(Date.now() - 2 * 86400_000).toISOString(), GIT_COMMITTER_DATE: new Date(Date.now() - 2 * 86400_000).toISOString() } });
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'Helpdesk tickets project']);
  const notes = path.join(parent, 'notes');
  fs.mkdirSync(notes);
  fs.writeFileSync(path.join(notes, 'README.md'), '# Team notes\n\nNo dbt project here: meeting notes and runbooks.\n');
  fs.writeFileSync(path.join(notes, 'runbook.sql'), '-- an ad-hoc query kept with the notes, not a dbt model\nselect 1;\n');
  const file = path.join(parent, 'analytics.code-workspace');
  fs.writeFileSync(file, JSON.stringify({
    folders: [{ path: 'shopwise' }, { path: 'support' }, { path: 'notes' }],
    settings: { 'dea.embeddings.kind': 'hashed', 'dea.refresh.debounceMs': 300 },
  }, null, 2));
  return { file, folders: { shopwise: shopwise.dir, support, notes }, head: shopwise.head, cleanup: () => fs.rmSync(parent, { recursive: true, force: true }) };
}
