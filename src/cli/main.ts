#!/usr/bin/env node
// `dea`: the Data Engineering Agent on the command line.
import { parseArgs, UsageError } from './args';
import { askCommand, historyCommand, indexCommand, lineageCommand, searchCommand } from './commands';
import { demoCommand } from './demo';
import { evalCommand } from './eval';
import { sqlCommand } from './sql';

const HELP = `dea — ask your dbt project, its git history and its warehouse; every answer cites its sources.

Usage:
  dea index                       index the workspace (incremental; prints a summary)
  dea ask "<question>" [--json]   answer a question (refreshes a missing or stale index first); with a language model
                                  and a warehouse, data questions go to the analytics agent (--yes: run its
                                  read-only queries without asking; --json then adds "sql" and "rows")
  dea search "<query>" [--k N]    hybrid search over the index
  dea lineage <model> [--up N] [--down N]
  dea history <model|path>
  dea sql "<select>" [--max-rows N] [--timeout-ms MS]
                                  run one read-only query on the warehouse (profiles.yml target, --duckdb FILE or
                                  --snowflake-connection NAME from ~/.snowflake/connections.toml);
                                  exit 3 with the reason when it is not a single read-only statement
  dea demo                        build the bundled example's warehouse, index it and answer questions
  dea eval [--suite citations|analytics|all]
                                  citation recall@5 on examples/questions.yaml; analytics accuracy on
                                  examples/analytics-eval.yaml (ground-truth SQL always, the agent when a model is set)

Options (all commands):
  --workspace DIR        the workspace (default: current directory)
  --index-dir DIR        where the index lives (default: a per-workspace folder in ~/.cache)
  --embedding-model DIR  a local transformers.js model folder (or env DEA_EMBEDDING_MODEL)
  --allow-download       download Xenova/all-MiniLM-L6-v2 once if no model folder is given
  --hashed               use the weight-free hashed n-gram embeddings
  --duckdb FILE          the DuckDB warehouse (default: from the project's profiles.yml)
  --target NAME          the profiles.yml target
  --no-history           skip git history
  --model NAME           language model (or env DEA_LLM_MODEL / OPENAI_MODEL); with OPENAI_API_KEY, OPENAI_BASE_URL
  --offline              answer without a language model
  --json                 machine-readable output
Environment: DEA_ALLOW_QUERIES=1 (= --yes), DEA_ALLOW_PERSONAL_DATA=1 (send personal-data columns unmasked to the model),
  SNOWFLAKE_PASSWORD / SNOWFLAKE_PRIVATE_KEY_PATH / SNOWFLAKE_PRIVATE_KEY_PASSPHRASE
  --verbose              log what the engine does to stderr
`;

const COMMANDS: Record<string, (a: ReturnType<typeof parseArgs>) => Promise<number>> = {
  index: indexCommand, ask: askCommand, search: searchCommand, lineage: lineageCommand, history: historyCommand,
  demo: demoCommand, eval: evalCommand, sql: sqlCommand,
};

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.command === 'help' || args.flags.help || args.command === '--help' || args.command === '-h') { process.stdout.write(HELP); return 0; }
  const cmd = COMMANDS[args.command];
  if (!cmd) throw new UsageError(`unknown command "${args.command}"`);
  return cmd(args);
}

main(process.argv.slice(2)).then(code => { process.exitCode = code; }, (e: unknown) => {
  if (e instanceof UsageError) process.stderr.write(`dea: ${e.message}\nRun \`dea help\` for usage.\n`);
  else process.stderr.write(`dea: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.DEA_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
