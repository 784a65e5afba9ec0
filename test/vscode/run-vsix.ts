#!/usr/bin/env node
// The acceptance path of a new user: `npm run package` builds the .vsix, VS Code installs it (no development
// path, no test settings, defaults only), the example folder opens, and a question in the chat gets a cited answer.
// Ends with `N passed, N failed`. Usage: node --import tsx test/vscode/run-vsix.ts
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, ROOT, TEST_OUTPUT } from './harness/paths';
import { CHROMIUM_ARGS, startServer, workbenchUrl } from './harness/vscodeServer';
import { Workbench } from './harness/workbench';
import { makeWorkspace } from './harness/workspace';

const OUT = path.join(TEST_OUTPUT, 'vsix');
const VSIX = path.join(ROOT, 'dist/data-engineering-agent.vsix');

async function main(): Promise<{ passed: number; failed: number }> {
  const t0 = Date.now();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  execFileSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const mb = fs.statSync(VSIX).size / 1e6;
  console.log(`packaged ${path.relative(ROOT, VSIX)}: ${mb.toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // What vsce puts in the package (same rules as the .vsix just built).
  const listing = execFileSync(path.join(ROOT, 'node_modules/.bin/vsce'), ['ls'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  // Sources, tests, fixtures, sourcemaps and TypeScript of our own must stay out (third-party .d.ts are harmless).
  const leaked = listing.filter(f => /^(src|test|examples|bench|scripts|\.vscode-test|out|\.vscode)(\/|$)|^media\/.*\.ts$|^(?!node_modules\/).*\.(ts|map)$/.test(f));
  if (!listing.includes('dist/extension.js') || !listing.includes('dist/webview.js')) { console.log('FAIL the .vsix lacks the bundles'); return { passed: 0, failed: 1 }; }
  if (leaked.length) { console.log(`FAIL the .vsix holds non-runtime files: ${leaked.slice(0, 10).join(', ')}`); return { passed: 0, failed: 1 }; }
  const ws = makeWorkspace(null);
  const server = await startServer({ install: [VSIX] });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, viewport: { width: 1500, height: 920 }, args: CHROMIUM_ARGS });
  const page = browser.pages()[0] ?? await browser.newPage();
  const wb = new Workbench(page);
  try {
    await page.goto(workbenchUrl(server, ws.dir));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await wb.statusItem('DEA: ready', 120_000);
    await wb.openChat();
    const chat = wb.chat();
    await chat.locator('#question').fill('Which tests cover fct_orders?');
    await chat.locator('#question').press('Enter');
    await chat.locator('article.turn:not(.streaming) .chip').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(OUT, 'installed-vsix-answer.png') });
    console.log(`ok   the installed .vsix answered with ${await chat.locator('article.turn .chip').count()} citation(s), no configuration (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return { passed: 2, failed: 0 };
  } catch (e) {
    await page.screenshot({ path: path.join(OUT, 'failure.png') }).catch(() => undefined);
    console.log(`FAIL the installed .vsix did not answer: ${(e as Error).message.split('\n')[0]} (server log ${server.base}/server.log)`);
    return { passed: 1, failed: 1 };
  } finally {
    await browser.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
    await server.stop();
    if (!process.env.VSCODE_TEST_KEEP) { fs.rmSync(server.base, { recursive: true, force: true }); ws.cleanup(); }
  }
}

main().then(r => { console.log(`${r.passed} passed, ${r.failed} failed`); process.exit(r.failed ? 1 : 0); },
  e => { console.error(e); console.log('0 passed, 1 failed'); process.exit(1); });
