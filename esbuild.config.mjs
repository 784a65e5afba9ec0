// Bundles the extension, the CLI, the embedding worker and the bench. Native and heavy packages stay external.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const external = ['vscode', '@duckdb/node-api', '@huggingface/transformers', 'onnxruntime-node', 'snowflake-sdk', 'vectra'];
const entries = {
  extension: 'src/extension/activate.ts',
  cli: 'src/cli/main.ts',
  'embed-worker': 'src/core/index/embeddings/worker.ts',
  bench: 'bench/run.ts',
};
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, f]) => existsSync(f)));
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external,
  logLevel: 'warning',
});
