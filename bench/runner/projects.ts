// Generated inputs of the bench, cached under bench/out/: the projects per scale and the MiniLM-shaped model.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATOR_VERSION, generateProject, type GeneratedInfo } from '../generate';
import { git } from '../gen/fastimport';
import type { ScaleName } from './report';

export interface PreparedProject {
  dir: string;
  info: GeneratedInfo;
  reused: boolean;
}

/** Reuses bench/out/<scale> when it was made by this generator version and seed, else generates it anew. */
export async function ensureProject(outDir: string, scale: ScaleName, seed: number, log: (s: string) => void): Promise<PreparedProject> {
  const dir = path.join(outDir, scale);
  const infoFile = path.join(outDir, `${scale}.json`);
  const cached = readInfo(infoFile);
  if (cached && cached.generatorVersion === GENERATOR_VERSION && cached.seed === seed && fs.existsSync(path.join(dir, '.git'))) {
    git(dir, ['reset', '--hard', '-q']); // undo an edit a crashed run may have left
    return { dir, info: cached, reused: true };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  log(`generating the ${scale} project in ${dir} …`);
  const info = await generateProject(dir, scale, seed);
  fs.writeFileSync(infoFile, JSON.stringify(info, null, 1));
  log(`  ${info.counts.models} models, ${info.counts.yamlColumns} YAML columns, ${info.counts.commits} commits in ${(info.ms / 1000).toFixed(1)} s`);
  return { dir, info, reused: false };
}

function readInfo(file: string): GeneratedInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as GeneratedInfo;
  } catch {
    return undefined;
  }
}

/** The random-weight MiniLM-shaped model from scripts/make-test-model.mjs, made once. */
export function ensureModel(root: string, outDir: string, log: (s: string) => void): { modelPath?: string; error?: string } {
  const modelPath = path.join(outDir, 'models', 'minilm');
  if (fs.existsSync(path.join(modelPath, 'dea-test-model.json'))) return { modelPath };
  const script = path.join(root, 'scripts', 'make-test-model.mjs');
  if (!fs.existsSync(script)) return { error: `${script} is missing: cannot make the test model; run with --skip-model` };
  log(`making the MiniLM-shaped test model in ${modelPath} …`);
  const r = spawnSync(process.execPath, [script, 'minilm', modelPath], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) return { error: `make-test-model.mjs failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-3).join(' ')}` };
  return { modelPath };
}
