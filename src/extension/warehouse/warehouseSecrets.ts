// Warehouse secrets (a password, a private key's passphrase) live in SecretStorage only: never in settings or logs.
import type * as vscode from 'vscode';

export type WarehouseSecretKind = 'password' | 'privateKeyPassphrase';

const KEYS: Record<WarehouseSecretKind, string> = {
  password: 'dea.warehouse.password',
  privateKeyPassphrase: 'dea.warehouse.privateKeyPassphrase',
};

export class WarehouseSecrets {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(kind: WarehouseSecretKind): Thenable<string | undefined> {
    return this.secrets.get(KEYS[kind]);
  }

  set(kind: WarehouseSecretKind, value: string): Thenable<void> {
    return this.secrets.store(KEYS[kind], value);
  }

  delete(kind: WarehouseSecretKind): Thenable<void> {
    return this.secrets.delete(KEYS[kind]);
  }

  /** Both secrets, for the connection (only the ones that are set). */
  async all(): Promise<Partial<Record<WarehouseSecretKind, string>>> {
    const [password, privateKeyPassphrase] = await Promise.all([this.get('password'), this.get('privateKeyPassphrase')]);
    return { ...(password ? { password } : {}), ...(privateKeyPassphrase ? { privateKeyPassphrase } : {}) };
  }

  onDidChange(listener: () => void): vscode.Disposable {
    const ours = new Set(Object.values(KEYS));
    return this.secrets.onDidChange(e => { if (ours.has(e.key)) listener(); });
  }
}
