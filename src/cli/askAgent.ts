// `dea ask` routing: a question about data values goes to the analytics agent when a model AND a warehouse are
// configured; everything else stays with the project answerers.
//
// `dea ask --json` keeps its shape `{answer, mode, citations}`; agent answers add two keys:
//   "sql":  the statement the answer relies on (null when no query ran),
//   "rows": its result rows as objects keyed by column name ([] when no query ran).
// Model-proposed queries are read-only (guarded) but still asked for: interactively on a terminal, or allowed
// up front with --yes (or DEA_ALLOW_QUERIES=1). Without either and without a terminal they are declined.
// Personal-data columns are masked in what the model reads unless DEA_ALLOW_PERSONAL_DATA=1.
import * as readline from 'node:readline/promises';
import type { Engine } from '../core/engine';
import { runAgent } from '../core/agent/agent';
import { isAnalyticalQuestion } from '../core/agent/router';
import type { SqlDialect } from '../core/agent/tools/tool';
import type { AgentAnswer, AgentEvent } from '../core/agent/types';
import type { WarehouseConnection } from '../core/warehouse/connection';
import { describeSource, openWarehouse, resolveWarehouse } from '../core/warehouse/open';
import type { ParsedArgs } from './args';
import { citationJson, printAnswer } from './format';

export interface AgentWarehouse {
  dialect: SqlDialect;
  label: string;
  open: () => Promise<WarehouseConnection>;
}

/** The workspace's warehouse (--duckdb, --target, the dbt profiles.yml target, or connections.toml), or undefined when none. */
export async function openAgentWarehouse(engine: Engine): Promise<AgentWarehouse | undefined> {
  const snap = await engine.snapshot();
  const w = engine.opts.warehouse ?? {};
  const r = resolveWarehouse(engine.opts.workspace, snap.projects.map(p => p.info), { duckdbPath: w.duckdbPath, target: w.target, profilesPath: w.profilesPath });
  const source = r.source;
  if (!source) return undefined;
  return { dialect: source.kind, label: describeSource(source), open: () => openWarehouse(source) };
}

/** Answers with the agent when the question is analytical and a model and a warehouse are configured; else undefined. */
export async function askWithAgent(engine: Engine, question: string, args: ParsedArgs, out: (s: string) => void): Promise<number | undefined> {
  const model = engine.opts.model;
  if (!model || args.flags.offline) return undefined;
  const snap = await engine.snapshot();
  if (!isAnalyticalQuestion(question, snap)) return undefined;
  const wh = await openAgentWarehouse(engine);
  if (!wh) return undefined;
  const json = !!args.flags.json;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const answer = await runAgent(question, { engine, model, openConnection: wh.open, dialect: wh.dialect }, {
      signal: abort.signal,
      onEvent: json ? undefined : showEvent,
      confirmQuery: allowQueries(args) ? undefined : confirmOnTerminal,
      allowPersonalData: process.env.DEA_ALLOW_PERSONAL_DATA === '1',
    });
    if (json) out(`${agentAnswerJson(answer)}\n`);
    else printAnswer(answer, out);
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** The `dea ask --json` shape of an agent answer: the usual keys, then sql and rows. */
export function agentAnswerJson(a: AgentAnswer): string {
  const names = a.result?.columns.map(c => c.name) ?? [];
  const rows = (a.result?.rows ?? []).map(r => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null])));
  return JSON.stringify({ answer: a.answer, mode: a.mode, citations: a.citations.map(citationJson), sql: a.sql ?? null, rows }, null, 2);
}

function allowQueries(args: ParsedArgs): boolean {
  return !!args.flags.yes || process.env.DEA_ALLOW_QUERIES === '1';
}

async function confirmOnTerminal(sql: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    process.stderr.write('dea: the model proposed a query, but there is no terminal to ask: pass --yes to run read-only queries without asking.\n');
    return false;
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const reply = await rl.question(`\nRun this read-only query?\n${sql}\n[y/N] `);
    return /^y(es)?$/i.test(reply.trim());
  } finally {
    rl.close();
  }
}

/** Tool calls on stderr, so stdout keeps only the answer. */
function showEvent(e: AgentEvent): void {
  const line = (s: string) => process.stderr.write(`${s}\n`);
  if (e.type === 'tool_call') line(`→ ${e.name}${e.sql ? `: ${e.sql.replace(/\s+/g, ' ').slice(0, 200)}` : ` ${JSON.stringify(e.args)}`}`);
  else if (e.type === 'tool_result') line(`  ${e.ok ? '✓' : '✗'} ${e.summary}`);
  else if (e.type === 'refused') line(`  ⛔ refused: ${e.reason}`);
}
