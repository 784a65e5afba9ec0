// The extension's output channel. Everything written is passed through redact(), so a key pasted into a
// setting, an error message quoting a header or a URL with a token never reaches the log.
import * as vscode from 'vscode';
import { redact } from './redact';

export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor(name = 'Data Engineering Agent') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Values (API keys) to strip from every line from now on. */
  addSecret(value: string | undefined): void {
    if (value) this.secrets.add(value);
  }

  info(message: string): void {
    this.channel.info(this.clean(message));
  }

  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }

  error(message: string, err?: unknown): void {
    const detail = err instanceof Error ? `: ${err.message}` : err !== undefined ? `: ${String(err)}` : '';
    this.channel.error(this.clean(message + detail));
  }

  show(): void {
    this.channel.show(true);
  }

  clean(text: string): string {
    return redact(text, [...this.secrets]);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
