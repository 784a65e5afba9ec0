// `dea demo`: the main job on the bundled example — build its DuckDB warehouse from the seeds (no dbt needed),
// index it, and answer a handful of different kinds of question with citations.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects } from '../core/dbt/discover';
import { parseProjectFiles } from '../core/dbt/parse';
import { buildLocalWarehouse } from '../core/warehouse/localBuild';
import { loadConnection } from '../core/warehouse/profiles';
import type { ParsedArgs } from './args';
import { withEngine } from './commands';
import { printAnswer } from './format';
import { exampleWorkspace } from './paths';
import { embedderText } from './commands';

export const DEMO_QUESTIONS = [
  'Where is the orders fact table defined?',
  'What does lifetime_value mean in customer_lifetime_value?',
  'What is upstream of fct_orders?',
  'Which tests cover dim_customers?',
  'Which sources feed fct_orders?',
  'Where is the cents_to_dollars macro used?',
  'What is the grain of fct_order_items?',
  'Who last changed fct_orders?',
];

export async function demoCommand(args: ParsedArgs): Promise<number> {
  const ws = exampleWorkspace();
  args.flags.workspace ??= ws;
  const built = await ensureExampleWarehouse(ws);
  if (built) process.stdout.write(`Built the example warehouse ${path.relative(process.cwd(), built.dbPath)}: ${built.built} relations` +
    `${built.failed.length ? `, ${built.failed.length} failed (${built.failed.map(f => `${f.node}: ${f.reason}`).join('; ')})` : ''}\n`);
  return withEngine(args, async engine => {
    const s = engine.status();
    const r = s.lastRefresh!;
    process.stdout.write(`Indexed ${s.projects.map(p => p.name).join(', ')}: ${r.documents} documents in ${r.ms} ms ` +
      `(embeddings: ${embedderText(s.embedder)}; git: ${s.history.commits} commit${s.history.commits === 1 ? '' : 's'}; ` +
      `warehouse: ${s.warehouse ? `${s.warehouse.tables} tables` : 'none'})\nIndex: ${s.indexDir}\n`);
    const questions = args.positionals.length ? [args.positionals.join(' ')] : DEMO_QUESTIONS;
    for (const q of questions) {
      process.stdout.write(`\n━━ Q: ${q}\n`);
      printAnswer(await engine.ask(q, { offline: !engine.status().model }));
    }
    return 0;
  });
}

/** Builds the example's DuckDB file from its seeds when it is missing or older than the project's files. */
export async function ensureExampleWarehouse(ws: string): Promise<{ dbPath: string; built: number; failed: { node: string; reason: string }[] } | undefined> {
  const { projects } = await discoverProjects(ws);
  const info = projects[0];
  if (!info) throw new Error(`no dbt_project.yml found in ${ws}`);
  const conn = loadConnection({ projectDir: path.join(ws, info.root), profileName: info.profile });
  if (conn.config?.type !== 'duckdb') throw new Error(`the example's profiles.yml has no duckdb target (${conn.problems.map(p => p.message).join('; ')})`);
  const dbPath = conn.config.path;
  if (fs.existsSync(dbPath) && fs.statSync(dbPath).mtimeMs >= newestFile(path.join(ws, info.root))) return undefined;
  const project = await parseProjectFiles(ws, info);
  fs.rmSync(dbPath, { force: true });
  fs.rmSync(`${dbPath}.wal`, { force: true });
  const r = await buildLocalWarehouse(project, path.join(ws, info.root), dbPath, { targetSchema: conn.config.schema });
  return { dbPath, built: r.built.length, failed: r.failed };
}

function newestFile(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'target' || e.name.endsWith('.duckdb') || e.name.endsWith('.wal')) continue;
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestFile(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}
