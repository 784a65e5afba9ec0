// The CLI's commands over the core engine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine, type EngineOptions } from '../core/engine';
import { OpenAiChatModel, openAiSettingsFromEnv } from '../core/llm/openai';
import type { ChatModel } from '../core/llm/types';
import { displayName } from '../core/documents/describe';
import { flagNumber, flagString, UsageError, type ParsedArgs } from './args';
import { answerJson, citationText, printAnswer } from './format';
import { askWithAgent } from './askAgent';
import { progressBar } from './progress';

const out = (s: string) => process.stdout.write(s);

export function engineOptions(args: ParsedArgs): EngineOptions {
  const workspace = path.resolve(flagString(args, 'workspace') ?? process.cwd());
  const modelPath = flagString(args, 'embedding-model');
  return {
    workspace,
    indexDir: flagString(args, 'index-dir'),
    embedding: { kind: args.flags.hashed ? 'hashed' : 'auto', modelPath, allowDownload: !!args.flags['allow-download'] },
    warehouse: { duckdbPath: flagString(args, 'duckdb'), target: flagString(args, 'target') },
    noHistory: !!args.flags['no-history'],
    model: args.flags.offline ? undefined : chatModel(args),
    log: args.flags.verbose ? m => process.stderr.write(`${m}\n`) : undefined,
  };
}

/** The language model from flags or the environment (OPENAI_API_KEY, OPENAI_BASE_URL, DEA_LLM_MODEL); none = offline. */
function chatModel(args: ParsedArgs): ChatModel | undefined {
  const env = openAiSettingsFromEnv();
  const model = flagString(args, 'model') ?? env?.model;
  const baseUrl = flagString(args, 'base-url') ?? env?.baseUrl;
  if (!model) return undefined;
  return new OpenAiChatModel({ model, baseUrl, apiKey: env?.apiKey });
}

export async function withEngine<T>(args: ParsedArgs, fn: (e: Engine) => Promise<T>, quietProgress = false): Promise<T> {
  const opts = engineOptions(args);
  if (!fs.existsSync(opts.workspace) || !fs.statSync(opts.workspace).isDirectory()) {
    throw new Error(`the workspace folder ${opts.workspace} does not exist: pass --workspace DIR (a folder holding a dbt project)`);
  }
  const bar = progressBar();
  const progress = quietProgress || args.flags.json ? undefined : bar;
  const engine = await Engine.open(opts, progress);
  try {
    await engine.refresh(progress);
    bar.done();
    if (!engine.status().projects.length) process.stderr.write(`dea: no dbt_project.yml found in ${opts.workspace}; answers can only use git history (pass --workspace DIR).\n`);
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

export async function indexCommand(args: ParsedArgs): Promise<number> {
  return withEngine(args, async engine => {
    const s = engine.status();
    const r = s.lastRefresh!;
    out(`Indexed ${s.workspace}\n`);
    out(`  projects:   ${s.projects.map(p => `${p.name} (${p.root || '.'}, ${p.nodes} nodes, from ${p.origin})`).join(', ') || 'none found'}\n`);
    out(`  documents:  ${r.documents} (${r.embedded} embedded, ${r.removed} removed, ${r.unchanged} unchanged) in ${r.ms} ms\n`);
    out(`  embeddings: ${embedderText(s.embedder)}\n`);
    out(`  git:        ${s.history.commits} commits${s.history.reason ? ` (${s.history.reason})` : ''}\n`);
    out(`  warehouse:  ${s.warehouse ? `${s.warehouse.kind} ${s.warehouse.origin}: ${s.warehouse.error ?? `${s.warehouse.tables} tables`}` : 'none configured'}\n`);
    out(`  index:      ${s.indexDir}${r.rebuilt ? ` (rebuilt: ${r.rebuilt})` : ''}\n`);
    printProblems(s.problems);
    return 0;
  });
}

/** The embedder in a line, with the CLI's own way to get a neural model when it fell back. */
export function embedderText(e: { kind: string; model: string; reason?: string }): string {
  const hint = e.kind === 'hashed' && e.reason && !/chosen/.test(e.reason) ? ' (CLI: --embedding-model DIR, or --allow-download)' : '';
  return `${e.kind} ${e.model}${e.reason ? ` — ${e.reason}` : ''}${hint}`;
}

function printProblems(problems: { path: string; line?: number; message: string; severity: string }[]): void {
  if (!problems.length) return;
  out(`  problems:   ${problems.length}\n`);
  for (const p of problems.slice(0, 20)) out(`    ${p.severity}: ${p.path}${p.line ? `:${p.line}` : ''} ${p.message}\n`);
  if (problems.length > 20) out(`    … ${problems.length - 20} more\n`);
}

export async function askCommand(args: ParsedArgs): Promise<number> {
  const question = args.positionals.join(' ').trim();
  if (!question) throw new UsageError('dea ask "<question>": the question is missing');
  return withEngine(args, async engine => {
    const routed = await askWithAgent(engine, question, args, out); // data questions → the analytics agent
    if (routed !== undefined) return routed;
    const stream = !args.flags.json && engine.status().model;
    const answer = await engine.ask(question, { onToken: stream ? t => out(t) : undefined, offline: !!args.flags.offline });
    if (args.flags.json) out(`${answerJson(answer)}\n`);
    else if (stream) { out('\n'); printAnswer({ ...answer, answer: '' }); } else printAnswer(answer);
    return 0;
  });
}

export async function searchCommand(args: ParsedArgs): Promise<number> {
  const query = args.positionals.join(' ').trim();
  if (!query) throw new UsageError('dea search "<query>": the query is missing');
  return withEngine(args, async engine => {
    const hits = await engine.search(query, flagNumber(args, 'k', 10));
    if (args.flags.json) { out(`${JSON.stringify(hits.map(h => ({ id: h.doc.id, title: h.doc.title, score: h.score, citation: h.doc.citation })), null, 2)}\n`); return 0; }
    hits.forEach((h, i) => out(`${String(i + 1).padStart(2)}. ${h.doc.title}\n    ${citationText(h.doc.citation)}  score ${h.score.toFixed(4)} ${signals(h.signals)}\n`));
    if (!hits.length) out('No matches.\n');
    return 0;
  });
}

function signals(s: Record<string, number | undefined>): string {
  return `[${Object.entries(s).filter(([, v]) => v !== undefined).map(([k]) => k).join('+')}]`;
}

export async function lineageCommand(args: ParsedArgs): Promise<number> {
  const name = args.positionals[0];
  if (!name) throw new UsageError('dea lineage <model> [--up N] [--down N]: the model is missing');
  return withEngine(args, async engine => {
    const node = await engine.resolve(name);
    if (!node) { process.stderr.write(`No model, source, seed or snapshot named "${name}" in ${engine.opts.workspace}.\n`); return 1; }
    const snap = await engine.snapshot();
    const up = snap.graph.upstream(node.uniqueId, flagNumber(args, 'up', 1));
    const down = snap.graph.downstream(node.uniqueId, flagNumber(args, 'down', 1));
    if (args.flags.json) {
      const item = (x: { node: typeof node; depth: number }) => ({ uniqueId: x.node.uniqueId, name: displayName(x.node), depth: x.depth, path: x.node.location?.path ?? x.node.yamlLocation?.path });
      out(`${JSON.stringify({ node: item({ node, depth: 0 }), upstream: up.map(item), downstream: down.map(item) }, null, 2)}\n`);
      return 0;
    }
    const loc = (n: typeof node) => n.location ? `${n.location.path}:${n.location.startLine}` : n.yamlLocation?.path ?? '';
    out(`Upstream of ${displayName(node)}:\n`);
    for (const u of up) out(`${'  '.repeat(u.depth)}↑ ${displayName(u.node)} (${u.node.resourceType})  ${loc(u.node)}\n`);
    if (!up.length) out('  (none)\n');
    out(`● ${displayName(node)} (${node.resourceType})  ${loc(node)}\n`);
    out(`Downstream of ${displayName(node)}:\n`);
    for (const d of down) out(`${'  '.repeat(d.depth)}↓ ${displayName(d.node)} (${d.node.resourceType})  ${loc(d.node)}\n`);
    if (!down.length) out('  (none)\n');
    return 0;
  });
}

export async function historyCommand(args: ParsedArgs): Promise<number> {
  const target = args.positionals[0];
  if (!target) throw new UsageError('dea history <model|path>: the model or path is missing');
  return withEngine(args, async engine => {
    const snap = await engine.snapshot();
    const node = await engine.resolve(target);
    const paths = node ? [node.location?.path, node.yamlLocation?.path].filter((p): p is string => !!p) : [target.replace(/^\.\//, '')];
    const commits = [...new Map(paths.flatMap(p => snap.history.fileHistory(p)).map(c => [c.sha, c])).values()]
      .sort((a, b) => b.date.localeCompare(a.date));
    if (args.flags.json) { out(`${JSON.stringify({ paths, commits }, null, 2)}\n`); return 0; }
    if (snap.historyData.reason) out(`(git history: ${snap.historyData.reason})\n`);
    out(`History of ${paths.join(', ')}: ${commits.length} commit${commits.length === 1 ? '' : 's'}\n`);
    for (const c of commits.slice(0, flagNumber(args, 'limit', 30))) {
      const f = c.files.find(x => paths.includes(x.path) || (x.oldPath && paths.includes(x.oldPath)));
      const rename = f?.oldPath ? ` (renamed from ${f.oldPath})` : '';
      out(`${c.sha.slice(0, 10)} ${c.date.slice(0, 10)} ${c.author.padEnd(18).slice(0, 18)} ${c.subject}${rename}\n`);
    }
    return 0;
  });
}
