#!/usr/bin/env node
// Type-checks media/ (the webview script) against the browser's DOM types, which the project's Node tsconfig
// does not include. Prints `1 passed, 0 failed` or the errors and `0 passed, 1 failed`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'media'], { cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8' });
process.stdout.write(r.stdout || '');
process.stderr.write(r.stderr || '');
console.log(r.status === 0 ? 'media/ type-checks with DOM types\n1 passed, 0 failed' : '0 passed, 1 failed');
process.exit(r.status === 0 ? 0 : 1);
