// Keeps the chosen language model resolved: at start, when the llm settings or the API key change, and when
// VS Code's set of language models changes. The engines always get the current model (or none = offline answers).
import * as vscode from 'vscode';
import type { Log } from '../log';
import type { ApiKeyStore } from '../secrets';
import { MODEL_SETTINGS } from '../settings';
import { resolveModel, type ResolvedModel } from './providers';

export class ModelManager implements vscode.Disposable {
  private resolved: ResolvedModel = { label: 'offline answers' };
  private readonly emitter = new vscode.EventEmitter<ResolvedModel>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private resolving?: Promise<ResolvedModel>;
  readonly onDidChange = this.emitter.event;

  constructor(private readonly keys: ApiKeyStore, private readonly log: Log) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration(e => { if (MODEL_SETTINGS.some(s => e.affectsConfiguration(s))) void this.refresh('settings changed'); }),
      keys.onDidChange(() => void this.refresh('API key changed')),
      vscode.lm.onDidChangeChatModels(() => void this.refresh('VS Code language models changed')),
    );
  }

  get current(): ResolvedModel {
    return this.resolved;
  }

  async refresh(reason = 'start'): Promise<ResolvedModel> {
    const run = async () => {
      const key = await this.keys.get();
      this.log.addSecret(key);
      const r = await resolveModel(this.keys);
      const changed = r.label !== this.resolved.label || r.problem !== this.resolved.problem || r.model?.id !== this.resolved.model?.id;
      this.resolved = r;
      if (changed) this.log.info(`language model (${reason}): ${r.model ? r.model.id : 'none, offline answers'}${r.problem ? ` — ${r.problem}` : ''}`);
      // Always hand out the new instance: the same model id may come with a new API key.
      this.emitter.fire(r);
      return r;
    };
    this.resolving = (this.resolving ?? Promise.resolve(this.resolved)).then(run, run);
    return this.resolving;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
