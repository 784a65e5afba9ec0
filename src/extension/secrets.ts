// The OpenAI-compatible API key lives in SecretStorage only (never in settings or logs).
import * as vscode from 'vscode';

const KEY = 'dea.openai.apiKey';

export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(KEY);
  }

  set(value: string): Thenable<void> {
    return this.secrets.store(KEY, value);
  }

  delete(): Thenable<void> {
    return this.secrets.delete(KEY);
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange(e => { if (e.key === KEY) listener(); });
  }
}
