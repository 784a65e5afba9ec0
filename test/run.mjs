#!/usr/bin/env node
// Runs every test suite and ends with the plain line `N passed, N failed` that CI reads.
// Core and CLI tests: node's test runner over test/**/*.test.ts (through tsx).
// Suites that need a real VS Code register themselves in test/suites.mjs (added with the extension).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function findTests(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'fixtures' && e.name !== 'node_modules') out.push(...findTests(p));
    else if (e.isFile() && e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let passed = 0, failed = 0, skipped = 0;
const files = findTests(join(root, 'test')).filter(f => !only.length || only.some(o => f.includes(o))).sort();
if (files.length) {
  const tap = join(mkdtempSync(join(tmpdir(), 'dea-test-')), 'core.tap');
  const r = spawnSync(process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files.map(f => relative(root, f)),
  ], { cwd: root, stdio: 'inherit', env: { ...process.env, DEA_TEST: '1' } });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = k => Number((new RegExp(`^# ${k} (\\d+)`, 'm').exec(text) || [])[1] || 0);
  passed += count('pass'); failed += count('fail') + count('cancelled'); skipped += count('skipped') + count('todo');
  if (r.status !== 0 && count('fail') === 0) failed += 1; // the runner itself failed
}

// Further suites (real VS Code host, browser UI) print their own `N passed, N failed` line last.
const suitesFile = join(root, 'test', 'suites.mjs');
if (!only.length && existsSync(suitesFile) && statSync(suitesFile).isFile()) {
  const { suites, setup } = await import(suitesFile);
  // A fresh machine has no VS Code test host yet: install it (skips what is there) so `npm test` alone is enough.
  let setupFailed = false;
  if (setup) {
    const r = spawnSync(setup[0], setup.slice(1), { cwd: root, stdio: 'inherit' });
    setupFailed = r.status !== 0;
    if (setupFailed) { console.log(`\nsetup failed (${setup.join(' ')}): the VS Code suites cannot run`); failed += 1; }
  }
  for (const s of setupFailed ? [] : suites) {
    console.log(`\n== ${s.name}`);
    const run = () => spawnSync(s.command[0], s.command.slice(1), { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...s.env } });
    let r = run();
    // A headless browser that dies on start is the machine, not the product: run the suite once more, saying so.
    if (r.status !== 0 && /Target page, context or browser has been closed/.test(r.stdout || '') && !/(^|\] )ok\s/m.test(r.stdout || '')) {
      process.stdout.write((r.stdout || '').replace(/^\d+ passed, \d+ failed.*$/gm, '(first attempt discarded)'));
      console.log(`\n== ${s.name}: the browser closed before any step passed; running the suite again`);
      r = run();
    }
    process.stdout.write(r.stdout || '');
    const m = /^(\d+) passed, (\d+) failed/m.exec(r.stdout || '');
    if (m) { passed += +m[1]; failed += +m[2]; }
    if (r.status !== 0 && (!m || +m[2] === 0)) failed += 1;
  }
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
