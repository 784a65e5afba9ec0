// Bundles the extension, the CLI, the embedding worker and the bench (Node, CJS; native and heavy packages stay
// external), and the chat webview's script (browser, IIFE: it runs inside the webview's iframe).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const external = ['vscode', 'tsx', 'tsx/cjs', '@duckdb/node-api', '@huggingface/transformers', 'onnxruntime-node', 'snowflake-sdk', 'vectra'];
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

if (existsSync('media/main.ts')) {
  await build({
    entryPoints: { webview: 'media/main.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    logLevel: 'warning',
  });
}
