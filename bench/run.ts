// The benchmark: index generated dbt projects (medium, large) and hold the figures to the product's targets.
//   npm run bench -- [--scale medium|large|all] [--skip-model] [--json] [--seed N] [--strict]
// Each measurement runs in a child process (this same script with --child), so peak RSS is per scale and mode.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChild, type ChildResult, type ChildTask } from './runner/measure';
import { ensureModel, ensureProject, type PreparedProject } from './runner/projects';
import { checkTargets, formatTable, type Check, type ScaleFigures, type ScaleName } from './runner/report';

interface Options {
  scales: ScaleName[];
  skipModel: boolean;
  json: boolean;
  strict: boolean;
  seed: number;
}

const USAGE = 'usage: bench [--scale medium|large|all] [--skip-model] [--json] [--seed N] [--strict]';
/** A child that runs longer than this is stopped (the neural run on the large project is the slow one). */
const CHILD_TIMEOUT_MS = 60 * 60 * 1000;

// Works from bench/run.ts (tsx) and from the bundle dist/bench.js alike: both sit one level below the root.
const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out');

function parseArgs(argv: string[]): Options {
  const o: Options = { scales: ['medium', 'large'], skipModel: false, json: false, strict: false, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--skip-model') o.skipModel = true;
    else if (a === '--json') o.json = true;
    else if (a === '--strict') o.strict = true;
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--scale') {
      const v = argv[++i];
      if (v !== 'medium' && v !== 'large' && v !== 'all') throw new Error(`--scale ${v ?? ''}: expected medium, large or all\n${USAGE}`);
      o.scales = v === 'all' ? ['medium', 'large'] : [v];
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (!Number.isInteger(o.seed)) throw new Error(`--seed needs an integer\n${USAGE}`);
  return o;
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--child');
  if (childAt >= 0) return childMain(process.argv[childAt + 1]);
  const opts = parseArgs(process.argv.slice(2));
  const log = (s: string) => process.stderr.write(s + '\n');
  fs.mkdirSync(OUT, { recursive: true });
  const model = opts.skipModel ? {} : ensureModel(ROOT, OUT, log);
  const figures: ScaleFigures[] = [];
  for (const scale of opts.scales) figures.push(await benchScale(scale, opts, model, log));
  const checks = figures.flatMap(checkTargets);
  report(opts, figures, checks);
  const broken = figures.some(f => f.errors.length);
  process.exitCode = broken || (opts.strict && checks.some(c => !c.ok)) ? 1 : 0;
}

async function benchScale(scale: ScaleName, opts: Options, model: { modelPath?: string; error?: string }, log: (s: string) => void): Promise<ScaleFigures> {
  const project = await ensureProject(OUT, scale, opts.seed, log);
  const { info } = project;
  const f: ScaleFigures = {
    scale, reusedProject: project.reused, generationMs: project.reused ? undefined : info.ms,
    models: info.counts.models, yamlColumns: info.counts.yamlColumns, commits: info.counts.commits, errors: [],
  };
  log(`${scale}: indexing with hashed embeddings …`);
  const hashed = await runInChild(task('hashed', scale, project));
  Object.assign(f, pick(hashed, ['coldIndexMs', 'documents', 'incrementalMs', 'askP50Ms', 'askP95Ms', 'indexBytes', 'peakRssMb', 'embedder']));
  if (hashed.error) f.errors.push(`hashed run: ${hashed.error}`);
  if (opts.skipModel) return f;
  if (model.error || !model.modelPath) {
    f.errors.push(`model run skipped: ${model.error ?? 'no model'}`);
    return f;
  }
  log(`${scale}: indexing with the MiniLM-shaped model …`);
  const neural = await runInChild({ ...task('model', scale, project), modelPath: model.modelPath });
  f.coldIndexWithModelMs = neural.coldIndexWithModelMs;
  f.peakRssWithModelMb = neural.peakRssMb;
  f.modelEmbedder = neural.embedder;
  if (neural.error) f.errors.push(`model run: ${neural.error}`);
  return f;
}

function task(mode: ChildTask['mode'], scale: ScaleName, p: PreparedProject): ChildTask {
  return {
    mode, workspace: p.dir, indexDir: path.join(OUT, `${scale}-index-${mode}`), editTarget: p.info.editTarget,
    questions: p.info.questions, resultFile: path.join(OUT, `${scale}-result-${mode}.json`),
  };
}

/** Runs one measurement in a fresh Node process (same flags, e.g. --expose-gc) and reads its result file. */
async function runInChild(t: ChildTask): Promise<ChildResult> {
  const taskFile = t.resultFile.replace(/result-(\w+)\.json$/, 'task-$1.json');
  fs.writeFileSync(taskFile, JSON.stringify(t));
  fs.rmSync(t.resultFile, { force: true });
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], '--child', taskFile], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  const code = await new Promise<number | null>(resolve => child.on('close', c => resolve(c)));
  clearTimeout(timer);
  try {
    return JSON.parse(fs.readFileSync(t.resultFile, 'utf8')) as ChildResult;
  } catch {
    return { mode: t.mode, peakRssMb: 0, error: `the child process ended (exit ${code}) without a result; see the output above` };
  }
}

async function childMain(taskFile: string | undefined): Promise<void> {
  if (!taskFile) throw new Error('--child needs a task file');
  const t = JSON.parse(fs.readFileSync(taskFile, 'utf8')) as ChildTask;
  const result = await runChild(t);
  fs.writeFileSync(t.resultFile, JSON.stringify(result, null, 1));
  // Engine worker threads or handles must not keep the measurement process alive.
  process.exit(0);
}

function report(opts: Options, figures: ScaleFigures[], checks: Check[]): void {
  if (opts.json) {
    console.log(JSON.stringify({ ok: checks.every(c => c.ok) && figures.every(f => !f.errors.length), scales: figures, checks }, null, 2));
    return;
  }
  console.log(formatTable(figures, checks));
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

main().catch(e => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
