// "Show index diagnostics": a read-only markdown document rebuilt from the live state each time it is opened.
import * as vscode from 'vscode';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import type { ModelManager } from '../llm/modelManager';
import type { Log } from '../log';
import { readSettings } from '../settings';
import { formatDiagnostics, type Diagnostics } from './format';

export const DIAGNOSTICS_URI = vscode.Uri.from({ scheme: 'dea-diagnostics', path: '/DEA Diagnostics.md' });

export class DiagnosticsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly engines: WorkspaceEngines, private readonly models: ModelManager, private readonly log: Log, private readonly version: string) {}

  provideTextDocumentContent(): string {
    return this.log.clean(formatDiagnostics(this.collect()));
  }

  collect(): Diagnostics {
    const s = readSettings();
    const m = this.models.current;
    return {
      version: this.version,
      model: { label: m.label, id: m.model?.id, problem: m.problem },
      folders: this.engines.all().map(e => ({ name: e.folder.name, path: e.folder.uri.fsPath, state: e.state, error: e.error, errors: [...e.errors], status: e.status() })),
      settings: {
        'llm.provider': s.provider, 'llm.vscodeModel': s.vscodeModel, 'openai.baseUrl': s.openAiBaseUrl, 'openai.model': s.openAiModel,
        'embeddings.kind': s.embeddingsKind, 'embeddings.modelPath': s.embeddingsModelPath, 'embeddings.allowDownload': s.embeddingsAllowDownload,
        'warehouse.duckdbPath': s.duckdbPath, 'index.directory': s.indexDirectory, 'git.history': s.gitHistory,
      },
    };
  }

  async show(): Promise<vscode.TextDocument> {
    // An open document is refreshed asynchronously after onDidChange: wait for that (briefly), so it shows the live state.
    const isOpen = vscode.workspace.textDocuments.some(d => d.uri.toString() === DIAGNOSTICS_URI.toString());
    const refreshed = isOpen ? documentChange(DIAGNOSTICS_URI, 3000) : Promise.resolve();
    this.changed.fire(DIAGNOSTICS_URI);
    await refreshed;
    const doc = await vscode.workspace.openTextDocument(DIAGNOSTICS_URI);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Resolves when the document changes, or after `ms`. */
function documentChange(uri: vscode.Uri, ms: number): Promise<void> {
  return new Promise(resolve => {
    const done = () => { sub.dispose(); clearTimeout(timer); resolve(); };
    const sub = vscode.workspace.onDidChangeTextDocument(e => { if (e.document.uri.toString() === uri.toString()) done(); });
    const timer = setTimeout(done, ms);
  });
}
