// Runs every *.spec.js in a folder with mocha inside the real extension host and writes a plain report (one line
// per test, then `N passed, N failed`) into $VSCODE_TEST_OUT/report.txt. Each suite's index.ts calls it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function runSpecs(dir: string): Promise<void> {
  const outDir = process.env.VSCODE_TEST_OUT;
  const lines: string[] = [];
  const write = (line: string) => {
    lines.push(line);
    if (outDir) fs.writeFileSync(path.join(outDir, 'report.txt'), `${lines.join('\n')}\n`);
  };
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: class {} as unknown as Mocha.ReporterConstructor });
  const grep = process.env.DEA_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.spec.js')).sort()) mocha.addFile(path.join(dir, f));
  const failures = await new Promise<number>(resolve => {
    let passed = 0, failed = 0;
    const runner = mocha.run(() => undefined);
    runner.on('pass', t => { passed++; write(`  ok   ${t.fullTitle()} (${t.duration ?? 0} ms)`); });
    runner.on('fail', (t, err: Error) => {
      failed++;
      write(`  FAIL ${t.fullTitle()}\n       ${(err.stack ?? err.message).split('\n').slice(0, 8).join('\n       ')}`);
    });
    runner.on('pending', t => write(`  skip ${t.fullTitle()}`));
    runner.on('end', () => { write(`${passed} passed, ${failed} failed`); resolve(failed); });
  });
  if (failures) throw new Error(`${failures} extension-host test(s) failed`);
}
