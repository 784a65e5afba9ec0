// Builds what the real-VS-Code tests load: the extension (dist/, via the project's esbuild config) and the
// extension-host test files of a suite folder (test/vscode/<suite>/ bundled to out/vscode-tests/<suite>/, CommonJS,
// vscode and mocha external).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { EXTHOST_OUT, ROOT } from './paths';

export async function buildExtension(): Promise<void> {
  execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

/** `suite`: exthost (one folder) or multiroot (a .code-workspace). Returns the suite's index.js. */
export async function buildExtHostTests(suite: 'exthost' | 'multiroot' = 'exthost'): Promise<string> {
  const src = path.join(ROOT, 'test/vscode', suite);
  const out = path.join(EXTHOST_OUT, suite);
  fs.rmSync(out, { recursive: true, force: true });
  const entries = fs.readdirSync(src).filter(f => f === 'index.ts' || f.endsWith('.spec.ts')).map(f => path.join(src, f));
  await build({
    entryPoints: entries, outdir: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline',
    external: ['vscode', 'mocha', '@duckdb/node-api', '@huggingface/transformers', 'onnxruntime-node', 'vectra'], logLevel: 'warning',
  });
  return path.join(out, 'index.js');
}
