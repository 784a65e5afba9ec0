// `dea eval`: citation recall@5 of answers on a question set (default: the bundled example's questions), and the
// analytics suite (evalAnalytics.ts): ground-truth SQL and the agent's answers on examples/analytics-eval.yaml.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Answer } from '../core/types';
import type { Engine } from '../core/engine';
import type { ChatModel } from '../core/llm/types';
import { flagNumber, flagString, UsageError, type ParsedArgs } from './args';
import { engineOptions, withEngine } from './commands';
import { analyticsEval } from './evalAnalytics';
import { exampleWorkspace, packageRoot } from './paths';
import { ensureExampleWarehouse } from './demo';

export interface EvalQuestion {
  id: string;
  question: string;
  kind: string;
  mustCite?: string[];
  anyOf?: string[];
  expectUnknown?: boolean;
}

export interface EvalResult {
  id: string;
  kind: string;
  recall: number;
  missing: string[];
  cited: string[];
}

/** Loads questions whose paths are relative to the repository root; `prefix` (e.g. 'examples/shopwise/') is the
 *  workspace's place in it and is stripped so paths become workspace-relative like citations. */
export function loadQuestions(file: string, prefix: string): EvalQuestion[] {
  const doc = parse(fs.readFileSync(file, 'utf8')) as EvalQuestion[] | { questions: EvalQuestion[] };
  const list = Array.isArray(doc) ? doc : doc.questions;
  const rel = (p: string) => (p.startsWith(prefix) ? p.slice(prefix.length) : p);
  return list.map(q => ({ ...q, mustCite: q.mustCite?.map(rel), anyOf: q.anyOf?.map(rel) }));
}

/** Share of the required paths among the first k cited paths; an expected "unknown" must cite nothing. */
export function scoreAnswer(q: EvalQuestion, a: Answer, k = 5): EvalResult {
  const cited = [...new Set(a.citations.map(c => c.path))].slice(0, k);
  if (q.expectUnknown) return { id: q.id, kind: q.kind, recall: a.citations.length === 0 ? 1 : 0, missing: a.citations.length ? ['(should cite nothing)'] : [], cited };
  const need = [...(q.mustCite ?? []).map(p => [p]), ...(q.anyOf?.length ? [q.anyOf] : [])];
  const missing = need.filter(alts => !alts.some(p => cited.includes(p))).map(alts => alts.join(' | '));
  return { id: q.id, kind: q.kind, recall: need.length ? (need.length - missing.length) / need.length : 1, missing, cited };
}

export async function evaluate(engine: Engine, questions: EvalQuestion[], k = 5, offline = true): Promise<{ results: EvalResult[]; mean: number }> {
  const results: EvalResult[] = [];
  for (const q of questions) results.push(scoreAnswer(q, await engine.ask(q.question, { offline }), k));
  return { results, mean: results.reduce((s, r) => s + r.recall, 0) / Math.max(1, results.length) };
}

/** `dea eval [--suite citations|analytics|all]` (default all): citation recall of the answers, then the analytics suite. */
export async function evalCommand(args: ParsedArgs): Promise<number> {
  const suite = flagString(args, 'suite') ?? 'all';
  if (!['citations', 'analytics', 'all'].includes(suite)) throw new UsageError(`--suite must be citations, analytics or all, got "${suite}"`);
  const print = (s: string) => process.stdout.write(s);
  const workspaceGiven = !!args.flags.workspace;
  let code = 0;
  let citations: unknown;
  if (suite !== 'analytics') {
    if (suite === 'all' && !args.flags.json) print('== citations suite\n');
    const r = await citationsEval(args, suite === 'all' && !!args.flags.json);
    code = Math.max(code, r.code);
    citations = r.json;
  }
  if (suite !== 'citations') {
    if (suite === 'all' && !args.flags.json) print('\n== analytics suite\n');
    if (!workspaceGiven) delete args.flags.workspace; // each suite defaults to the bundled example on its own
    const { report, code: c } = await analyticsEval(args, chatModelFor(args), print);
    code = Math.max(code, c);
    if (args.flags.json) print(`${JSON.stringify(suite === 'all' ? { citations, analytics: report } : report, null, 2)}\n`);
  }
  return code;
}

/** The configured model for the analytics agent (flags or environment); none without one or with --offline. */
function chatModelFor(args: ParsedArgs): ChatModel | undefined {
  return args.flags.offline ? undefined : engineOptions(args).model;
}

async function citationsEval(args: ParsedArgs, collectJson: boolean): Promise<{ code: number; json?: unknown }> {
  const root = packageRoot();
  const questionsFile = path.resolve(flagString(args, 'questions') ?? path.join(root, 'examples', 'questions.yaml'));
  if (!args.flags.workspace) {
    args.flags.workspace = exampleWorkspace();
    await ensureExampleWarehouse(exampleWorkspace());
  }
  const workspace = path.resolve(String(args.flags.workspace));
  const prefix = flagString(args, 'prefix') ?? `${path.relative(root, workspace).split(path.sep).join('/')}/`;
  const questions = loadQuestions(questionsFile, prefix);
  const k = flagNumber(args, 'k', 5);
  return withEngine(args, async engine => {
    const { results, mean } = await evaluate(engine, questions, k, !args.flags.llm);
    const json = { questions: results.length, recallAt5: mean, results };
    const min = Number(flagString(args, 'min-recall') ?? 0);
    if (collectJson) return { code: mean >= min ? 0 : 1, json };
    if (args.flags.json) {
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      for (const r of results) {
        process.stdout.write(`${r.recall === 1 ? '✓' : r.recall > 0 ? '~' : '✗'} ${r.id.padEnd(28)} ${r.kind.padEnd(14)} recall ${r.recall.toFixed(2)}${r.missing.length ? `  missing: ${r.missing.join(', ')}` : ''}\n`);
      }
      process.stdout.write(`\nrecall@${k} over ${results.length} questions: ${mean.toFixed(3)}\n`);
    }
    return { code: mean >= min ? 0 : 1 };
  }, true);
}
