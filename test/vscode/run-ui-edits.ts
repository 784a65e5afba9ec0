#!/usr/bin/env node
// UI test of the approval flow in a REAL VS Code workbench (code-server's VS Code server + headless Chromium via
// playwright-core): a code lens proposes documentation, the Refactor Preview shows it with unticked boxes, Discard
// changes nothing, ticking + Apply writes it, Ctrl+Z undoes it; the lightbulb lists the actions; a multi-file rename
// from the palette is applied, and one Ctrl+Z takes it back in every file. Screenshots in
// test-output/ui/edits/. Ends with `N passed, N failed`. Usage: node --import tsx test/vscode/run-ui-edits.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { parseDocument } from 'yaml';
import { buildExtension } from './harness/build';
import { CHROMIUM, ROOT, TEST_OUTPUT } from './harness/paths';
import { CHROMIUM_ARGS, remoteUri, startServer, workbenchUrl } from './harness/vscodeServer';
import { StepRunner } from './harness/steps';
import { Workbench } from './harness/workbench';
import { makeWorkspace, prepareExampleWarehouse } from './harness/workspace';

const OUT = path.join(TEST_OUTPUT, 'ui', 'edits');
const INT_YML = 'models/intermediate/_intermediate__models.yml';
const runner = new StepRunner(OUT);
const step = runner.step.bind(runner);
const log = runner.log.bind(runner);

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(OUT, name) });

/** Every file of the workspace copy (no .git, target, warehouse, settings) → text. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (/(^|\/)(\.git|target|\.vscode|logs)$|\.duckdb(\.wal)?$/.test(r)) continue;
      if (e.isDirectory()) walk(r); else out.set(r, fs.readFileSync(path.join(dir, r), 'utf8'));
    }
  };
  walk('');
  return out;
}

function changed(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter(k => a.get(k) !== b.get(k)).sort();
}

async function waitUntil(what: string, probe: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

/** Ticks every change in the Refactor Preview: a file's box ticks its changes; the tree renders only the rows in
 *  view, so it is scrolled until no unticked box is left. */
async function tickAll(page: Page): Promise<void> {
  const tree = page.locator('.bulk-edit-panel .monaco-list').first();
  let lastTop = '';
  for (let round = 0; round < 40; round++) {
    const box = page.locator('.bulk-edit-panel input.edit-checkbox:not(:checked)').first();
    // The DOM checkbox's own click (a row at the tree's clipped edge cannot be clicked by coordinates).
    if (await box.count()) { await box.evaluate(el => (el as unknown as { click(): void }).click()); await page.waitForTimeout(50); continue; }
    const top = (await page.locator('.bulk-edit-panel .monaco-list-row').first().textContent()) ?? '';
    if (top === lastTop) return;
    lastTop = top;
    await tree.hover();
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(200);
  }
}

async function main(): Promise<void> {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  await buildExtension();
  await prepareExampleWarehouse();
  const ws = makeWorkspace({ 'dea.llm.provider': 'none' });
  const server = await startServer();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, viewport: { width: 1500, height: 920 }, args: CHROMIUM_ARGS });
  const page = browser.pages()[0] ?? await browser.newPage();
  const wb = new Workbench(page);
  const panel = page.locator('.bulk-edit-panel');
  const button = (label: string) => panel.locator('.buttons .monaco-button', { hasText: new RegExp(`^${label}$`) });
  const notification = (text: string | RegExp) => page.locator('.notification-list-item-message', { hasText: text }).first();
  const original = files(ws.dir);
  try {
    await page.goto(workbenchUrl(server, ws.dir, [['extensionDevelopmentPath', remoteUri(server, ROOT)], ['skipWelcome', 'true']]));
    await step('the workbench loads and the extension indexes the example', page, async () => {
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await wb.statusItem('DEA: ready', 90_000);
    });
    runner.blockOnFailure();

    await step('an undocumented, untested model shows the Document and Generate Tests lenses', page, async () => {
      await wb.openFile('int_customer_order_history.sql');
      await page.locator('.codelens-decoration a', { hasText: 'Document' }).first().waitFor({ timeout: 20_000 });
      await page.locator('.codelens-decoration a', { hasText: 'Generate Tests' }).first().waitFor();
      await shot(page, '01-lenses.png');
    });

    await step('the Document lens opens the Refactor Preview with the change unticked and the plan beside; Discard changes nothing', page, async () => {
      await page.locator('.codelens-decoration a', { hasText: 'Document' }).first().click();
      await panel.locator('.monaco-list-row', { hasText: '_intermediate__models.yml' }).first().waitFor({ timeout: 60_000 });
      await page.locator('.tab', { hasText: 'Document-int_customer_order_history.md' }).waitFor({ timeout: 10_000 });
      const boxes = panel.locator('input.edit-checkbox');
      if (!(await boxes.count())) throw new Error('no checkboxes in the preview');
      for (const box of await boxes.all()) if (await box.isChecked()) throw new Error('a change is ticked before the user ticked it');
      if (changed(original, files(ws.dir)).length) throw new Error('files changed while the preview waits');
      await shot(page, '02-preview-unticked.png');
      await button('Discard').click();
      await notification(/Rejected "Document int_customer_order_history": nothing was changed/).waitFor({ timeout: 15_000 });
      await page.waitForTimeout(400);
      await shot(page, '03-discarded.png');
      const diff = changed(original, files(ws.dir));
      if (diff.length) throw new Error(`discarding changed ${diff.join(', ')}`);
    });

    let documented = '';
    await step('ticked and applied: the YAML gets the entry with tests, every other line and file as it was', page, async () => {
      await wb.openFile('int_customer_order_history.sql');
      await page.locator('.codelens-decoration a', { hasText: 'Document' }).first().click();
      const fileRow = panel.locator('.monaco-list-row', { hasText: '_intermediate__models.yml' }).first();
      await fileRow.waitFor({ timeout: 60_000 });
      await fileRow.locator('input.edit-checkbox').check();
      const editRow = panel.locator('.monaco-list-row', { hasText: 'int_customer_order_history' }).first();
      await editRow.click(); // opens the change in a diff editor
      await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(800);
      await shot(page, '04-preview-ticked-diff.png');
      await button('Apply').click();
      await notification(/Applied "Document int_customer_order_history"/).waitFor({ timeout: 20_000 });
      await page.waitForTimeout(400);
      await shot(page, '05-applied.png');
      const now = files(ws.dir);
      const diff = changed(original, now);
      if (diff.join() !== INT_YML) throw new Error(`changed: ${diff.join(', ')}`);
      documented = now.get(INT_YML)!;
      for (const line of original.get(INT_YML)!.split('\n')) if (!documented.includes(line)) throw new Error(`line lost: ${line}`);
      const entry = (parseDocument(documented).toJS().models as { name: string; columns: { name: string; data_tests?: unknown[] }[] }[]).find(m => m.name === 'int_customer_order_history');
      const key = entry?.columns[0];
      if (key?.name !== 'customer_id' || JSON.stringify(key.data_tests) !== '["unique","not_null"]') throw new Error(`entry: ${JSON.stringify(entry)}`);
    });

    await step('Ctrl+Z in the YAML editor undoes the whole change in one step; saved, the file is as before', page, async () => {
      await wb.openFile('_intermediate__models.yml');
      await page.locator('.editor-instance .view-lines').first().click();
      await page.keyboard.press('Control+Z');
      await page.keyboard.press('Control+S');
      await waitUntil('the file on disk to be the original', () => fs.readFileSync(path.join(ws.dir, INT_YML), 'utf8') === original.get(INT_YML));
      await shot(page, '06-undone.png');
      const diff = changed(original, files(ws.dir));
      if (diff.length) throw new Error(`after undo: ${diff.join(', ')}`);
    });

    await step('the lightbulb (Ctrl+.) on a model lists the DEA actions', page, async () => {
      await wb.openFile('int_customer_order_history.sql');
      await page.locator('.editor-instance .view-lines').first().click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget');
      await menu.locator('.action-item, .monaco-list-row', { hasText: 'DEA: Generate tests for int_customer_order_history' }).first().waitFor({ timeout: 15_000 });
      await menu.locator('.action-item, .monaco-list-row', { hasText: 'DEA: Review int_customer_order_history' }).first().waitFor();
      await shot(page, '07-lightbulb.png');
      await page.keyboard.press('Escape');
    });

    await step('"DEA: Rename Column" from the palette: a multi-file preview; all ticked and applied; one Ctrl+Z undoes every file', page, async () => {
      await wb.openFile('stg_shop__orders.sql');
      await wb.runCommand('DEA: Rename Column');
      await wb.pickRow('order_id');
      await wb.answerInput('Rename column stg_shop__orders.order_id to', 'order_key');
      await panel.locator('input.edit-checkbox').first().waitFor({ timeout: 60_000 });
      await page.waitForTimeout(800);
      await tickAll(page);
      await shot(page, '08-rename-preview-all-ticked.png');
      await button('Apply').click();
      await notification(/Applied "Rename column stg_shop__orders\.order_id to order_key"/).waitFor({ timeout: 20_000 });
      const renamed = files(ws.dir);
      const diff = changed(original, renamed);
      if (diff.length < 4) throw new Error(`only ${diff.join(', ')} changed`);
      if (!/as order_key/.test(renamed.get('models/staging/shop/stg_shop__orders.sql') ?? '')) throw new Error('the model does not alias order_key');
      await wb.openFile('stg_shop__orders.sql');
      await page.locator('.editor-instance .view-lines').first().click();
      await page.keyboard.press('Control+Z');
      // One undo step takes the change back in every file (VS Code groups the WorkspaceEdit's files).
      await page.locator('.view-lines', { hasText: 'cast(id as integer) as order_id,' }).first().waitFor({ timeout: 10_000 });
      await wb.runCommand('File: Save All Files');
      await waitUntil('every file back to the original', () => changed(original, files(ws.dir)).length === 0, 20_000);
      await shot(page, '09-undone-all-files.png');
    });
  } finally {
    await browser.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); // chromium may still be writing it
    await server.stop();
    if (process.env.VSCODE_TEST_KEEP) console.log(`kept ${server.base} and ${ws.dir}`);
    else { fs.rmSync(server.base, { recursive: true, force: true }); ws.cleanup(); }
  }
}

runner.finish(main);
