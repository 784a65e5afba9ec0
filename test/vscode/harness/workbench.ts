// Driving the real workbench with playwright-core: the command palette, quick inputs, the chat webview's frame,
// the status bar and the active editor's cursor position.
import type { FrameLocator, Locator, Page } from 'playwright-core';

export class Workbench {
  constructor(readonly page: Page) {}

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget input');
  }

  /** The chat view's content frame (VS Code nests it in two iframes). */
  chat(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.quickInput.waitFor({ state: 'visible' });
    await this.quickInput.fill(`>${title}`);
    await this.pickRow(title);
  }

  /** Presses Enter on the quick-input row containing `text` once it is listed (and focused). */
  async pickRow(text: string): Promise<void> {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
  }

  /** Fills the quick input whose title contains `title` (waiting for it: the widget stays up between inputs). */
  async answerInput(title: string, value: string): Promise<void> {
    await this.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: 10_000 });
    await this.quickInput.fill(value);
    await this.page.keyboard.press('Enter');
  }

  /** Shows the chat view (clicking its activity-bar item only when hidden: a second click would close it). */
  async openChat(): Promise<void> {
    const input = this.chat().locator('#question');
    if (await input.isVisible().catch(() => false)) return;
    await this.page.locator('.activitybar [aria-label^="Data Engineering Agent"]').first().click();
    await input.waitFor({ timeout: 30_000 });
  }

  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.quickInput.fill(name);
    await this.pickRow(name);
    await this.page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 10_000 });
  }

  async statusItem(text: string | RegExp, timeout = 60_000): Promise<Locator> {
    const item = this.page.locator('.statusbar-item', { hasText: text }).first();
    await item.waitFor({ timeout });
    return item;
  }

  /** "Ln 12, Col 1" of the active editor → 12. */
  async cursorLine(): Promise<number> {
    const text = await this.page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first().textContent({ timeout: 10_000 });
    return Number(/Ln (\d+)/.exec(text ?? '')?.[1]);
  }

  async activeTab(): Promise<string> {
    return (await this.page.locator('.tab.active .label-name').first().textContent({ timeout: 10_000 }))?.trim() ?? '';
  }
}
