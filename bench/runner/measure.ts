// What a child process measures: one engine run over one generated project (peak RSS is then per run).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import type { BenchQuestion } from '../generate';
import { folderBytes, median, percentile } from './stats';

export interface ChildTask {
  mode: 'hashed' | 'model';
  workspace: string;
  indexDir: string;
  /** Workspace-relative file to edit for the incremental refresh (hashed mode). */
  editTarget: string;
  questions: BenchQuestion[];
  modelPath?: string;
  resultFile: string;
}

export interface ChildResult {
  mode: ChildTask['mode'];
  coldIndexMs?: number;
  coldIndexWithModelMs?: number;
  documents?: number;
  embedded?: number;
  incrementalMs?: number;
  /** Each incremental run's time, and how many documents it re-embedded (should be small). */
  incrementalRuns?: { ms: number; embedded: number; removed: number }[];
  askP50Ms?: number;
  askP95Ms?: number;
  askCount?: number;
  indexBytes?: number;
  peakRssMb: number;
  embedder?: string;
  error?: string;
}

const INCREMENTAL_RUNS = 5;
const ASK_ROUNDS = 2;

export async function runChild(task: ChildTask): Promise<ChildResult> {
  fs.rmSync(task.indexDir, { recursive: true, force: true });
  const result: ChildResult = { mode: task.mode, peakRssMb: 0 };
  try {
    if (task.mode === 'model') await measureModel(task, result);
    else await measureHashed(task, result);
  } catch (e) {
    const msg = e instanceof Error ? e.stack ?? e.message : String(e);
    result.error = result.error ? `${msg}\n${result.error}` : msg;
  }
  result.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  return result;
}

async function measureHashed(task: ChildTask, r: ChildResult): Promise<void> {
  const engine = await Engine.open({ workspace: task.workspace, indexDir: task.indexDir, embedding: { kind: 'hashed' } });
  try {
    const t0 = performance.now();
    const cold = await engine.refresh(progress);
    r.coldIndexMs = Math.round(performance.now() - t0);
    r.documents = cold.documents;
    r.embedded = cold.embedded;
    r.embedder = describeEmbedder(engine);
    gc();
    r.incrementalRuns = await incrementalRuns(engine, path.join(task.workspace, task.editTarget));
    r.incrementalMs = median(r.incrementalRuns.map(x => x.ms));
    gc();
    const times = await askTimes(engine, task.questions, r);
    if (times.length) {
      r.askP50Ms = percentile(times, 50);
      r.askP95Ms = percentile(times, 95);
    }
    r.askCount = times.length;
  } finally {
    await closeEngine(engine, r);
  }
  r.indexBytes = folderBytes(task.indexDir);
}

/** A failing close() is reported too, without hiding an earlier error. */
async function closeEngine(engine: Engine, r: ChildResult): Promise<void> {
  try {
    await engine.close();
  } catch (e) {
    const msg = `engine.close() failed: ${e instanceof Error ? e.message : String(e)}`;
    r.error = r.error ? `${r.error}\n${msg}` : msg;
  }
}

async function measureModel(task: ChildTask, r: ChildResult): Promise<void> {
  const engine = await Engine.open({ workspace: task.workspace, indexDir: task.indexDir, embedding: { kind: 'neural', modelPath: task.modelPath } });
  try {
    const t0 = performance.now();
    const cold = await engine.refresh(progress);
    r.coldIndexWithModelMs = Math.round(performance.now() - t0);
    r.documents = cold.documents;
    r.embedded = cold.embedded;
    r.embedder = describeEmbedder(engine);
    if (!r.embedder.startsWith('neural')) r.error = `the model was not used (${r.embedder}): the figure would measure hashed embeddings`;
  } finally {
    await closeEngine(engine, r);
  }
  r.indexBytes = folderBytes(task.indexDir);
}

/** Appends a comment line to one model file and refreshes; the file is restored afterwards. */
async function incrementalRuns(engine: Engine, file: string): Promise<{ ms: number; embedded: number; removed: number }[]> {
  const original = fs.readFileSync(file, 'utf8');
  const runs: { ms: number; embedded: number; removed: number }[] = [];
  try {
    for (let i = 0; i < INCREMENTAL_RUNS; i++) {
      fs.appendFileSync(file, `-- bench edit ${i + 1}\n`);
      const t0 = performance.now();
      const s = await engine.refresh();
      runs.push({ ms: Math.round(performance.now() - t0), embedded: s.embedded, removed: s.removed });
    }
  } finally {
    fs.writeFileSync(file, original);
  }
  return runs;
}

/** Latency of each successful ask; a failing question is counted and reported, and the rest still run. */
async function askTimes(engine: Engine, questions: BenchQuestion[], r: ChildResult): Promise<number[]> {
  const times: number[] = [];
  const failures = new Map<string, string>();
  for (let round = 0; round < ASK_ROUNDS; round++) {
    for (const q of questions) {
      const t0 = performance.now();
      try {
        await engine.ask(q.text, { offline: true });
        times.push(performance.now() - t0);
      } catch (e) {
        failures.set(q.text, e instanceof Error ? e.message : String(e));
      }
    }
  }
  if (failures.size) {
    const [text, msg] = [...failures][0];
    r.error = `${failures.size} of ${questions.length} questions failed in ask(), e.g. "${text}": ${msg}`;
  }
  return times;
}

function describeEmbedder(engine: Engine): string {
  const e = engine.status().embedder;
  return `${e.kind} ${e.model} (${e.dims}d)${e.reason ? `: ${e.reason}` : ''}`;
}

let lastProgress = 0;
function progress(p: { phase: string; done: number; total: number }): void {
  const now = Date.now();
  if (now - lastProgress < 2000) return;
  lastProgress = now;
  process.stderr.write(`  … ${p.phase} ${p.done}/${p.total}\n`);
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
