#!/usr/bin/env node
// Extension-host tests in a REAL VS Code: the server from code-server runs the extension and these mocha suites
// in its Node extension host; headless Chromium is only the workbench client. Prints the suites' report and
// ends with `N passed, N failed`. Usage: node --import tsx test/vscode/run-exthost.ts [--multi-root]
//   (default) test/vscode/exthost/*.spec.ts on a git copy of examples/shopwise opened as a folder;
//   --multi-root test/vscode/multiroot/*.spec.ts on a .code-workspace of three folders (harness/workspace.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { buildExtension, buildExtHostTests } from './harness/build';
import { CHROMIUM, ROOT } from './harness/paths';
import { CHROMIUM_ARGS, remoteUri, startServer, workbenchUrl } from './harness/vscodeServer';
import { makeMultiRootWorkspace, makeWorkspace, prepareExampleWarehouse } from './harness/workspace';

interface Opened {
  /** What the workbench opens: a folder, or a .code-workspace file. */
  open: string | { workspace: string };
  /** Where the suites find it. */
  env: Record<string, string>;
  describe: string;
  cleanup(): void;
}

function openWorkspace(multiRoot: boolean): Opened {
  if (!multiRoot) {
    const ws = makeWorkspace();
    return { open: ws.dir, env: { DEA_TEST_WORKSPACE: ws.dir, DEA_TEST_HEAD: ws.head }, describe: `workspace ${ws.dir}`, cleanup: ws.cleanup };
  }
  const mr = makeMultiRootWorkspace();
  return {
    open: { workspace: mr.file }, env: { DEA_TEST_WORKSPACE_FILE: mr.file, DEA_TEST_FOLDERS: JSON.stringify(mr.folders), DEA_TEST_HEAD: mr.head },
    describe: `multi-root workspace ${mr.file}`, cleanup: mr.cleanup,
  };
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const multiRoot = process.argv.includes('--multi-root');
  await buildExtension();
  const runner = await buildExtHostTests(multiRoot ? 'multiroot' : 'exthost');
  await prepareExampleWarehouse();
  const ws = openWorkspace(multiRoot);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-exthost-'));
  const server = await startServer({ env: { VSCODE_TEST_OUT: outDir, ...ws.env, ...(process.env.DEA_TEST_GREP ? { DEA_TEST_GREP: process.env.DEA_TEST_GREP } : {}) } });
  console.log(`VS Code server up at ${server.url} (${Date.now() - t0} ms); ${ws.describe}`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  let code = 1;
  try {
    const page = browser.pages()[0] ?? await browser.newPage();
    code = await new Promise<number>(resolve => {
      const timer = setTimeout(() => { console.error('TIMEOUT: the extension host did not finish the tests within the limit'); resolve(124); }, Number(process.env.VSCODE_TEST_TIMEOUT_MS ?? 600_000));
      void page.exposeFunction('codeAutomationLog', () => undefined);
      void page.exposeFunction('codeAutomationExit', (c: number) => { clearTimeout(timer); resolve(c); });
      page.on('console', m => { if (process.env.VSCODE_TEST_VERBOSE) console.log('[workbench]', m.text()); });
      void page.goto(workbenchUrl(server, ws.open, [
        ['extensionDevelopmentPath', remoteUri(server, ROOT)],
        ['extensionTestsPath', remoteUri(server, runner)],
        ['skipWelcome', 'true'],
      ]));
    });
  } finally {
    await browser.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); // chromium may still be writing it
    await server.stop();
    if (process.env.VSCODE_TEST_KEEP) console.log(`kept ${server.base} and the ${ws.describe}`);
    else { fs.rmSync(server.base, { recursive: true, force: true }); ws.cleanup(); }
  }
  const report = path.join(outDir, 'report.txt');
  const text = fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : '';
  fs.rmSync(outDir, { recursive: true, force: true });
  process.stdout.write(text.replace(/\n?\d+ passed, \d+ failed\n?$/, '\n'));
  console.log(`extension host exited with ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const m = /(\d+) passed, (\d+) failed/.exec(text);
  // CI reads this plain last line; a host that never reported counts as one failure.
  console.log(m ? `${m[1]} passed, ${m[2]} failed` : '0 passed, 1 failed');
  return m && code === 0 ? 0 : 1;
}

main().then(c => process.exit(c), e => { console.error(e); console.log('0 passed, 1 failed'); process.exit(1); });
