#!/usr/bin/env node
// UI tests in a REAL VS Code workbench (code-server's VS Code server + headless Debian Chromium via playwright-core):
// the chat view answers with citations (offline, then streamed from an OpenAI-compatible endpoint), a citation opens
// the file at its line, palette commands run, code lenses show. Screenshots go to test-output/ui/.
// Ends with `N passed, N failed`. Usage: node --import tsx test/vscode/run-ui.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { buildExtension } from './harness/build';
import { AGENT_SQL, startFakeLlm } from './harness/fakeLlm';
import { CHROMIUM, ROOT, TEST_OUTPUT } from './harness/paths';
import { CHROMIUM_ARGS, remoteUri, startServer, workbenchUrl } from './harness/vscodeServer';
import { StepRunner } from './harness/steps';
import { Workbench } from './harness/workbench';
import { makeWorkspace, prepareExampleWarehouse } from './harness/workspace';

const OUT = path.join(TEST_OUTPUT, 'ui');
const runner = new StepRunner(OUT);
const step = runner.step.bind(runner);
const log = runner.log.bind(runner);

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUT, name) });
}

async function main(): Promise<void> {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  await buildExtension();
  const llm = await startFakeLlm();
  await prepareExampleWarehouse();
  const ws = makeWorkspace({ 'dea.llm.provider': 'auto' });
  const server = await startServer();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, viewport: { width: 1500, height: 920 }, args: CHROMIUM_ARGS });
  const page = browser.pages()[0] ?? await browser.newPage();
  const wb = new Workbench(page);
  const chat = wb.chat();
  try {
    await page.goto(workbenchUrl(server, ws.dir, [['extensionDevelopmentPath', remoteUri(server, ROOT)], ['skipWelcome', 'true']]));
    await step('the workbench loads and the extension indexes the example (status bar: ready)', page, async () => {
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await wb.statusItem('DEA: ready', 90_000);
    });
    runner.blockOnFailure();

    await step('the activity-bar item opens the chat view (webview under its CSP)', page, async () => {
      await wb.openChat();
      await chat.locator('#status-text', { hasText: /models/ }).waitFor({ timeout: 30_000 });
      await chat.locator('#examples .follow-up').first().waitFor();
      await shot(page, '01-chat-empty.png');
    });

    await step('a question gets an offline answer with citation chips (no model configured)', page, async () => {
      await chat.locator('#question').fill('What feeds fct_orders?');
      await chat.locator('#question').press('Enter');
      await chat.locator('article.turn:not(.streaming) .chip').first().waitFor({ timeout: 30_000 });
      const answer = await chat.locator('article.turn .answer-body').last().textContent();
      if (!/fct_orders/.test(answer ?? '')) throw new Error(`answer does not name fct_orders: ${answer}`);
      await chat.locator('.answer-meta', { hasText: 'offline answer' }).first().waitFor();
      await shot(page, '02-offline-answer.png');
    });

    await step('clicking a citation chip opens the file at the cited line', page, async () => {
      const chip = chat.locator('article.turn .chip-file').first();
      const label = (await chip.getAttribute('title')) ?? '';
      const m = /([\w/.-]+\.(?:sql|yml|yaml|csv|md)):(\d+)/.exec(label);
      if (!m) throw new Error(`chip tooltip has no path:line: ${label}`);
      await chip.click();
      const file = path.basename(m[1]);
      await page.locator('.tab.active', { hasText: file }).waitFor({ timeout: 15_000 });
      const line = await wb.cursorLine();
      if (line !== Number(m[2])) throw new Error(`cursor at line ${line}, citation says ${m[2]}`);
      await shot(page, '03-citation-opened.png');
    });

    await step('a model shows its code lenses (lineage, tests, last change, Ask, Explain)', page, async () => {
      await wb.openFile('fct_orders.sql');
      const lens = page.locator('.codelens-decoration', { hasText: /upstream/ }).first();
      await lens.waitFor({ timeout: 20_000 });
      const text = await lens.textContent();
      for (const want of [/↑\d+ upstream · ↓\d+ downstream/, /tests?/, /3 days ago · Bo Builder/, /Ask/, /Explain/]) {
        if (!want.test(text ?? '')) throw new Error(`lens line lacks ${want}: ${text}`);
      }
      await shot(page, '04-codelens.png');
    });

    await step('the lineage lens opens the depth-limited lineage picker', page, async () => {
      await page.locator('.codelens-decoration a', { hasText: /upstream/ }).first().click();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: /stg_|int_/ }).first().waitFor({ timeout: 10_000 });
      await shot(page, '05-lineage-picker.png');
      await page.keyboard.press('Escape');
    });

    await step('the palette runs "DEA: Show History of Current Model" and a commit opens its change', page, async () => {
      await wb.runCommand('DEA: Show History of Current Model');
      await wb.pickRow('Document the grain of fct_orders');
      await page.locator('.tab.active', { hasText: /\.diff/ }).waitFor({ timeout: 10_000 });
      await page.locator('.view-lines', { hasText: 'grain: one row per order' }).first().waitFor({ timeout: 10_000 });
      await shot(page, '06-commit-change.png');
    });

    await step('"DEA: Choose Language Model" switches to an OpenAI-compatible endpoint', page, async () => {
      await wb.runCommand('DEA: Choose Language Model');
      await wb.pickRow('OpenAI-compatible endpoint');
      await wb.answerInput('base URL', llm.url);
      await wb.answerInput('model', 'fake-model');
      await chat.locator('#model', { hasText: 'fake-model' }).waitFor({ timeout: 15_000 });
    });

    await step('the answer streams in from the model, with citations and code-block actions', page, async () => {
      await wb.openChat();
      await chat.locator('#question').fill('What feeds dim_customers?');
      await chat.locator('#question').press('Enter');
      const streaming = chat.locator('article.turn.streaming .answer-body');
      await streaming.waitFor({ timeout: 15_000 });
      const lengths = new Set<number>();
      for (let i = 0; i < 40 && (await streaming.count()); i++) {
        lengths.add(((await streaming.textContent({ timeout: 1000 }).catch(() => '')) ?? '').length);
        if (lengths.size === 3) await shot(page, '07-streaming.png');
        await page.waitForTimeout(60);
      }
      if (lengths.size < 3) throw new Error(`the answer did not grow while streaming (saw lengths ${[...lengths].join(', ')})`);
      const done = chat.locator('article.turn:not(.streaming)').last();
      await done.locator('.chip').first().waitFor({ timeout: 20_000 });
      await done.locator('.answer-meta', { hasText: 'language model' }).waitFor();
      await done.locator('.code-block [data-code-action="openSql"]').waitFor();
      // The answer's raw HTML and javascript: link stayed inert text.
      if (await done.locator('script, a[href^="javascript"]').count()) throw new Error('raw HTML reached the DOM');
      await done.locator('.link-blocked', { hasText: 'not a link' }).waitFor();
      await done.locator('.follow-up').first().waitFor();
      await shot(page, '08-llm-answer.png');
    });

    await step('"Open as SQL" opens the code block in a new SQL editor; "Insert" adds it at the cursor', page, async () => {
      const answer = chat.locator('article.turn').last();
      await answer.locator('[data-code-action="openSql"]').click();
      await page.locator('.tab.active', { hasText: /Untitled/ }).waitFor({ timeout: 10_000 });
      const lines = page.locator('.editor-group-container.active .view-line', { hasText: 'limit 10' });
      await lines.first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await answer.locator('[data-code-action="insert"]').click();
      for (let i = 0; i < 50 && (await lines.count()) < 2; i++) await page.waitForTimeout(100);
      if ((await lines.count()) !== 2) throw new Error(`expected the code twice in the editor, found ${await lines.count()} line(s)`);
    });

    await step('the Stop button cancels a streaming answer', page, async () => {
      await wb.openChat();
      await chat.locator('#question').fill('Explain fct_orders slowly');
      await chat.locator('#question').press('Enter');
      await chat.locator('article.turn.streaming .answer-body', { hasText: 'slowly' }).waitFor({ timeout: 15_000 });
      await chat.locator('#stop').click();
      await chat.locator('article.turn:not(.streaming) .note', { hasText: 'Stopped.' }).last().waitFor({ timeout: 10_000 });
      if (!(await chat.locator('#send').isVisible())) throw new Error('the Ask button did not come back');
      await shot(page, '09-stopped.png');
    });

    await step('↑ in the input recalls the previous question', page, async () => {
      await chat.locator('#question').fill('');
      await chat.locator('#question').press('ArrowUp');
      const v = await chat.locator('#question').inputValue();
      if (v !== 'Explain fct_orders slowly') throw new Error(`↑ gave "${v}"`);
      await chat.locator('#question').fill('');
    });

    await step('an analytical question shows the agent\'s tool calls and asks before running its query', page, async () => {
      await wb.openChat();
      await chat.locator('#question').fill('How much net revenue did we make per month?');
      await chat.locator('#question').press('Enter');
      const turn = chat.locator('article.turn.streaming');
      await turn.locator('.step-ok', { hasText: 'describe_table' }).waitFor({ timeout: 30_000 });
      const confirm = turn.locator('.confirm');
      await confirm.waitFor({ timeout: 30_000 });
      const sql = await confirm.locator('code').textContent();
      if (sql !== AGENT_SQL.monthly) throw new Error(`the prompt shows "${sql}"`);
      if (!(await confirm.locator('.sql-keyword', { hasText: 'select' }).count())) throw new Error('the SQL is not highlighted');
      await turn.locator('.step-awaiting', { hasText: 'execute_query' }).waitFor();
      await turn.locator('.step', { hasText: 'list_tables' }).locator('summary').click();
      await turn.locator('.step[open] .step-args', { hasText: '"schema": "marts"' }).waitFor();
      await confirm.scrollIntoViewIfNeeded();
      await shot(page, '11-agent-confirm.png');
      await confirm.locator('[data-confirm="run"]').click();
    });

    await step('the answer shows its SQL, a line chart, the grid with row count and time, and citations', page, async () => {
      const done = chat.locator('article.turn:not(.streaming)').last();
      await done.locator('svg.chart polyline').waitFor({ timeout: 30_000 });
      await done.locator('.sql-used code', { hasText: 'marts.monthly_revenue' }).waitFor();
      const rows = await done.locator('table.grid tbody tr').count();
      if (rows !== 24) throw new Error(`grid has ${rows} rows, expected 24`);
      const summary = await done.locator('.result-summary').textContent();
      if (!/^24 rows · \d+ ms$/.test(summary ?? '')) throw new Error(`summary "${summary}"`);
      if ((await done.locator('.step').count()) !== 3) throw new Error('expected three tool-call blocks');
      await done.locator('.chip').first().waitFor();
      await done.locator('.chart-wrap').scrollIntoViewIfNeeded();
      await shot(page, '12-agent-answer-chart.png');
    });

    await step('clicking a grid header sorts by it (ascending, then descending)', page, async () => {
      const done = chat.locator('article.turn:not(.streaming)').last();
      const header = done.locator('[data-sort-col="1"]');
      const values = async () => (await done.locator('table.grid tbody tr td:nth-child(2)').allTextContents()).map(Number);
      const sorted = (v: number[], dir: 1 | -1) => v.every((x, i) => i === 0 || dir * (x - v[i - 1]) >= 0);
      await header.click();
      await done.locator('th[aria-sort="ascending"]', { hasText: 'net_revenue' }).waitFor();
      const asc = await values();
      if (asc.length !== 24 || !sorted(asc, 1)) throw new Error(`not ascending: ${asc.slice(0, 5).join(', ')}…`);
      await done.locator('.grid-wrap').scrollIntoViewIfNeeded();
      await shot(page, '13-grid-sorted-asc.png');
      await done.locator('[data-sort-col="1"]').click();
      await done.locator('th[aria-sort="descending"]', { hasText: 'net_revenue' }).waitFor();
      const desc = await values();
      if (!sorted(desc, -1) || desc[0] !== asc[asc.length - 1]) throw new Error(`not descending: ${desc.slice(0, 5).join(', ')}…`);
    });

    await step('Export CSV asks where to save and writes the sorted rows only there', page, async () => {
      const done = chat.locator('article.turn:not(.streaming)').last();
      await done.locator('[data-result-action="exportCsv"]').click();
      const target = path.join(ws.dir, 'net-revenue.csv');
      await wb.quickInput.waitFor({ state: 'visible', timeout: 15_000 });
      await shot(page, '14-export-dialog.png');
      // The save dialog writes its default file name into the input asynchronously: wait for it, then replace it and
      // check the value really is ours before pressing Enter (under load the default used to land after our text).
      for (let i = 0; i < 50 && !(await wb.quickInput.inputValue()); i++) await page.waitForTimeout(100);
      for (let i = 0; i < 20; i++) {
        await wb.quickInput.fill(target);
        await page.waitForTimeout(250);
        if ((await wb.quickInput.inputValue()) === target) break;
      }
      await page.keyboard.press('Enter');
      for (let i = 0; i < 300 && !fs.existsSync(target); i++) await page.waitForTimeout(100);
      if (!fs.existsSync(target)) throw new Error('no CSV written at the chosen path');
      const lines = fs.readFileSync(target, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
      if (lines[0] !== 'revenue_month,net_revenue' || lines.length !== 25) throw new Error(`CSV: ${lines.slice(0, 3).join(' | ')} (${lines.length} lines)`);
      const first = Number(lines[1].split(',')[1]), second = Number(lines[2].split(',')[1]);
      if (!(first >= second)) throw new Error('the CSV does not follow the grid\'s descending sort');
    });

    await step('a refused write and a declined query show in a warning style; nothing runs', page, async () => {
      await wb.openChat();
      await chat.locator('#question').fill('Which channels have the highest revenue?');
      await chat.locator('#question').press('Enter');
      const turn = chat.locator('article.turn.streaming');
      await turn.locator('.step-refused').waitFor({ timeout: 30_000 });
      await turn.locator('.confirm').waitFor({ timeout: 30_000 });
      await turn.locator('.confirm [data-confirm="cancel"]').click();
      const done = chat.locator('article.turn:not(.streaming)').last();
      await done.locator('.step-declined').waitFor({ timeout: 20_000 });
      await done.locator('.step-refused').locator('summary').click();
      await done.locator('.step-refused .step-detail.warning', { hasText: 'Refused' }).waitFor();
      if (await done.locator('table.grid').count()) throw new Error('a declined query shows a result');
      const text = await done.locator('.answer-body').textContent();
      if (!/declined/.test(text ?? '')) throw new Error(`the answer does not say the query was declined: ${text}`);
      await done.locator('.step-refused').scrollIntoViewIfNeeded();
      await shot(page, '15-refused-declined.png');
    });

    await step('approving the query gives a bar chart of a category column', page, async () => {
      await chat.locator('#question').fill('Which channels have the highest revenue?');
      await chat.locator('#question').press('Enter');
      const turn = chat.locator('article.turn.streaming');
      await turn.locator('.confirm [data-confirm="run"]').click({ timeout: 30_000 });
      const done = chat.locator('article.turn:not(.streaming)').last();
      await done.locator('svg.chart rect.chart-series-0').first().waitFor({ timeout: 30_000 });
      await done.locator('.chart-wrap').scrollIntoViewIfNeeded();
      await shot(page, '16-bar-chart.png');
    });

    await step('Stop while a query waits for approval: nothing runs, the turn shows "Stopped", the next question works', page, async () => {
      const question = 'How many customers ordered?';
      await chat.locator('#question').fill(question);
      await chat.locator('#question').press('Enter');
      const turn = chat.locator('article.turn.streaming');
      const confirm = turn.locator('.confirm');
      await confirm.waitFor({ timeout: 30_000 });
      if ((await confirm.locator('code').textContent()) !== AGENT_SQL.customers) throw new Error('the prompt does not show the proposed query');
      await turn.locator('.step-awaiting', { hasText: 'execute_query' }).waitFor();
      const asked = llm.agentRequests.length;
      await shot(page, '19-awaiting-before-stop.png');
      await chat.locator('#stop').click();
      const done = chat.locator('article.turn:not(.streaming)').last();
      await done.locator('.note', { hasText: 'Stopped.' }).waitFor({ timeout: 10_000 });
      if (!(await done.locator('.question').textContent())?.includes(question)) throw new Error('the stopped turn is not the question just asked');
      // Nothing ran: the step never got rows, no result grid, no prompt left, and the model heard nothing more.
      const stopped = done.locator('.step-stopped', { hasText: 'execute_query' });
      await stopped.waitFor();
      if (!/stopped before it ran/.test((await stopped.locator('.step-headline').textContent()) ?? '')) throw new Error('the step does not say it was stopped');
      if (await done.locator('.step-ok, .step-running, .step-awaiting').count()) throw new Error('a step still looks running or done');
      if (await done.locator('table.grid, svg.chart, .confirm').count()) throw new Error('a result or a prompt is left after Stop');
      await page.waitForTimeout(1000);
      if (llm.agentRequests.length !== asked) throw new Error(`the model was called ${llm.agentRequests.length - asked} more time(s) after Stop`);
      if (!(await chat.locator('#send').isVisible()) || await chat.locator('#stop').isVisible()) throw new Error('the input did not go back to Ask');
      await stopped.locator('summary').click();
      await stopped.locator('.step-detail.warning', { hasText: 'Stopped before it ran.' }).waitFor();
      await stopped.scrollIntoViewIfNeeded();
      await shot(page, '20-stopped-awaiting-query.png');
      // The next question gets its own prompt; approved, it runs and answers.
      await chat.locator('#question').fill(question);
      await chat.locator('#question').press('Enter');
      await chat.locator('article.turn.streaming .confirm [data-confirm="run"]').click({ timeout: 30_000 });
      const next = chat.locator('article.turn:not(.streaming)').last();
      await next.locator('table.grid tbody tr').first().waitFor({ timeout: 30_000 });
      const rows = await next.locator('table.grid tbody tr').count();
      if (rows !== 1) throw new Error(`the next answer has ${rows} rows, expected 1`);
      if (await next.locator('.note', { hasText: 'Stopped.' }).count()) throw new Error('the next answer is marked stopped');
      const last = llm.agentRequests.at(-1)!;
      if (!last.toolResults.some(r => /1 row in \d+ ms/.test(r))) throw new Error('the model did not get the rows of the approved query');
      await next.scrollIntoViewIfNeeded();
      await shot(page, '21-after-stop-next-question.png');
    });

    await step('"DEA: Test Warehouse Connection" reports the example warehouse', page, async () => {
      await wb.runCommand('DEA: Test Warehouse Connection');
      await page.locator('.notification-list-item-message', { hasText: /Warehouse connection OK: Opened DuckDB .*shopwise\.duckdb/ }).first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(400); // the toast's fade-in
      await shot(page, '17-test-warehouse.png');
    });

    await step('"DEA: Run SQL (read-only)" runs the editor\'s selection and shows the rows in the chat', page, async () => {
      await page.keyboard.press('Control+N');
      await page.locator('.tab.active', { hasText: /Untitled-2/ }).waitFor({ timeout: 10_000 });
      await page.keyboard.type('select order_status, count(*) as orders from marts.fct_orders group by order_status order by orders desc');
      await page.keyboard.press('Control+A');
      await wb.runCommand('DEA: Run SQL (read-only)');
      const done = chat.locator('article.turn', { hasText: 'Run SQL (selection in Untitled-2)' }).last();
      await done.locator('table.grid tbody tr').first().waitFor({ timeout: 20_000 });
      await done.locator('.answer-meta', { hasText: 'read-only SQL' }).waitFor();
      await done.locator('svg.chart').waitFor();
      await done.scrollIntoViewIfNeeded();
      await shot(page, '18-run-sql.png');
    });

    await step('"DEA: Show Index Diagnostics" opens the diagnostics document', page, async () => {
      await wb.runCommand('DEA: Show Index Diagnostics');
      await page.locator('.tab.active', { hasText: 'DEA Diagnostics.md' }).waitFor({ timeout: 10_000 });
      await page.locator('.view-lines', { hasText: 'index diagnostics' }).first().waitFor({ timeout: 10_000 });
      await shot(page, '10-diagnostics.png');
    });
  } finally {
    await browser.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); // chromium may still be writing it
    await server.stop();
    await llm.close();
    if (process.env.VSCODE_TEST_KEEP) console.log(`kept ${server.base} and ${ws.dir}`);
    else { fs.rmSync(server.base, { recursive: true, force: true }); ws.cleanup(); }
  }
}

runner.finish(main);
