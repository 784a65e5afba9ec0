// The UI runners' steps: each one passes or fails (with a screenshot), a blocking failure skips the rest,
// and the runner ends with the plain `N passed, N failed` line.
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './paths';

export class StepRunner {
  passed = 0;
  failed = 0;
  private blocked = false;
  private readonly t0 = Date.now();

  constructor(private readonly outDir: string) {}

  log(...a: unknown[]): void {
    console.log(`[${((Date.now() - this.t0) / 1000).toFixed(1)}s]`, ...a);
  }

  async step(name: string, page: Page, fn: () => Promise<void>): Promise<void> {
    if (this.blocked) { this.failed++; console.log(`  FAIL ${name}: skipped after an earlier blocking failure`); return; }
    try {
      await fn();
      this.passed++;
      this.log(`ok   ${name}`);
    } catch (e) {
      this.failed++;
      const file = path.join(this.outDir, `failure-${this.passed + this.failed}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      this.log(`FAIL ${name}: ${(e as Error).message.split('\n').slice(0, 6).join('\n       ')} (screenshot ${path.relative(ROOT, file)})`);
    }
  }

  /** After a step the rest depends on: any failure so far skips what follows. */
  blockOnFailure(): void {
    this.blocked = this.failed > 0;
  }

  /** Runs the runner's main and ends the process with the summary line. */
  finish(main: () => Promise<void>): void {
    main().catch(e => { this.failed++; console.error(e); }).finally(() => {
      console.log(`screenshots in ${path.relative(ROOT, this.outDir)}/`);
      console.log(`${this.passed} passed, ${this.failed} failed`);
      process.exit(this.failed ? 1 : 0);
    });
  }
}
