// Generates a realistic dbt project with a real git history, for the benchmark and for tests.
//   generateProject(dir, 'medium')  ->  250 models, 2,500 YAML columns, 2,500 commits
//   generateProject(dir, 'large')   ->  1,500 models, 15,000 YAML columns, 10,000 commits
// Deterministic by seed. The history is written with one `git fast-import` stream, then checked out.
import * as fs from 'node:fs';
import { Rng } from './gen/random';
import { planProject, type ScaleSpec } from './gen/project';
import { planHistory, type HistoryPlan } from './gen/history';
import { writeRepository } from './gen/fastimport';
import { makeQuestions, type BenchQuestion } from './gen/questions';
import type { Model } from './gen/plan';

export type { ScaleSpec } from './gen/project';
export type { BenchQuestion, QuestionKind } from './gen/questions';

/** Bump when the generated output changes, so cached projects are regenerated. */
export const GENERATOR_VERSION = 1;

export type Scale = 'medium' | 'large' | ScaleSpec;

export const SCALES: Record<'medium' | 'large', ScaleSpec> = {
  medium: { models: 250, yamlColumns: 2500, commits: 2500 },
  large: { models: 1500, yamlColumns: 15000, commits: 10000 },
};

export interface GeneratedInfo {
  generatorVersion: number;
  seed: number;
  scale: ScaleSpec;
  /** The dbt project name (dbt_project.yml `name`). */
  project: string;
  counts: {
    models: number;
    stagingModels: number;
    intermediateModels: number;
    martModels: number;
    yamlColumns: number;
    commits: number;
    files: number;
    sources: number;
    sourceTables: number;
    macros: number;
    seeds: number;
    exposures: number;
    metrics: number;
    authors: number;
    renames: number;
  };
  sampleModels: string[];
  /** ~50 questions for ask-latency measurement, with the facts a correct answer contains. */
  questions: BenchQuestion[];
  /** Workspace-relative path of a mid-DAG model to edit when measuring a one-model refresh. */
  editTarget: string;
  /** Wall-clock generation time. */
  ms: number;
}

export function resolveScale(scale: Scale): ScaleSpec {
  const s = typeof scale === 'string' ? SCALES[scale] : scale;
  if (!s) throw new Error(`unknown scale ${JSON.stringify(scale)}: use 'medium', 'large' or { models, yamlColumns, commits }`);
  const ok = Number.isInteger(s.models) && s.models >= 5 && Number.isInteger(s.yamlColumns) && s.yamlColumns >= 0 &&
    Number.isInteger(s.commits) && s.commits >= 1;
  if (!ok) throw new Error(`invalid scale ${JSON.stringify(s)}: models must be an integer >= 5, yamlColumns >= 0, commits >= 1`);
  return { ...s };
}

/** Writes the project and its history into `dir`, which must be missing or empty. */
export async function generateProject(dir: string, scale: Scale, seed = 1): Promise<GeneratedInfo> {
  const t0 = performance.now();
  const spec = resolveScale(scale);
  prepareDir(dir);
  const project = planProject(spec, seed);
  const history = planHistory(new Rng(seed).fork('history'), project.files, spec.commits, project.company);
  await writeRepository(dir, project.files, history);
  const lastAuthor = lastAuthors(project.files.map(f => f.path), history);
  const models = project.models;
  const rng = new Rng(seed).fork('info');
  return {
    generatorVersion: GENERATOR_VERSION, seed, scale: spec, project: project.name,
    counts: {
      models: models.length,
      stagingModels: models.filter(m => m.layer === 'staging').length,
      intermediateModels: models.filter(m => m.layer === 'intermediate').length,
      martModels: models.filter(m => m.layer === 'marts').length,
      yamlColumns: project.yamlColumns,
      commits: history.commits.length,
      files: project.files.length,
      sources: project.sources.length,
      sourceTables: project.sources.reduce((a, s) => a + s.tables.length, 0),
      macros: project.macros.length,
      seeds: project.seeds.length,
      exposures: project.exposures.length,
      metrics: project.metrics,
      authors: new Set(history.commits.map(c => c.author)).size,
      renames: history.renames,
    },
    sampleModels: sampleModels(rng, models),
    questions: makeQuestions(rng, models, m => lastAuthor.get(m.path)),
    editTarget: editTarget(models),
    ms: Math.round(performance.now() - t0),
  };
}

function prepareDir(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length) {
    throw new Error(`${dir} is not empty: generateProject creates a new repository there; remove it or choose another folder`);
  }
  fs.mkdirSync(dir, { recursive: true });
}

function lastAuthors(paths: string[], history: HistoryPlan): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of history.commits) for (const t of c.touches) out.set(paths[t.file], history.authors[c.author].name);
  return out;
}

/** A few models of each layer. */
function sampleModels(rng: Rng, models: Model[]): string[] {
  return (['staging', 'intermediate', 'marts'] as const).flatMap(layer => rng.sample(models.filter(m => m.layer === layer), 7).map(m => m.name));
}

/** An intermediate model in the middle of the DAG: it has inputs and other models build on it. */
function editTarget(models: Model[]): string {
  const usedBy = new Map<string, number>();
  for (const m of models) for (const r of m.refs) usedBy.set(r, (usedBy.get(r) ?? 0) + 1);
  const mid = models.filter(m => m.layer === 'intermediate' && m.refs.length > 0 && (usedBy.get(m.name) ?? 0) > 0);
  const pick = mid[Math.floor(mid.length / 2)] ?? models.find(m => m.layer !== 'staging') ?? models[0];
  return pick.path;
}
