// The engines of a (multi-root) workspace: one FolderEngine per folder holding a dbt_project.yml, kept in step
// with the folders, the settings and the chosen language model.
import * as vscode from 'vscode';
import type { ChatModel } from '../../core/llm/types';
import type { Log } from '../log';
import { FolderEngine, type WarehouseSecretsGetter } from './folderEngine';

const PROJECT_GLOB = '**/dbt_project.yml';
const PROJECT_EXCLUDE = '{**/node_modules/**,**/dbt_packages/**,**/target/**,**/.venv/**}';

export class WorkspaceEngines implements vscode.Disposable {
  private readonly engines = new Map<string, FolderEngine>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private model?: ChatModel;
  /** Fires whenever any folder's state, progress or snapshot changes. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: Log, private readonly secrets: WarehouseSecretsGetter = async () => ({})) {
    this.subscriptions.push(vscode.workspace.onDidChangeWorkspaceFolders(e => {
      for (const f of e.removed) this.remove(f);
      for (const f of e.added) void this.add(f, true);
    }));
  }

  /** Opens and indexes every folder; the first index shows a progress notification. */
  async start(): Promise<void> {
    await Promise.all((vscode.workspace.workspaceFolders ?? []).map(f => this.add(f, true)));
  }

  all(): FolderEngine[] {
    return [...this.engines.values()];
  }

  forUri(uri: vscode.Uri): FolderEngine | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.engines.get(folder.uri.toString()) : undefined;
  }

  /** The engine questions go to: the active editor's folder, else the first folder with a dbt project. */
  active(): FolderEngine | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const own = uri ? this.forUri(uri) : undefined;
    if (own && own.state !== 'no-project') return own;
    return this.all().find(e => e.state === 'ready') ?? this.all().find(e => e.state !== 'no-project');
  }

  setModel(model: ChatModel | undefined): void {
    this.model = model;
    for (const e of this.engines.values()) e.setModel(model);
  }

  /** Reopens every engine (settings that shape the index changed). */
  async restart(): Promise<void> {
    const folders = this.all().map(e => e.folder);
    await Promise.all(this.all().map(e => e.close()));
    this.engines.clear();
    this.emitter.fire();
    await Promise.all(folders.map(f => this.add(f, false)));
  }

  async reindexAll(): Promise<void> {
    await Promise.all(this.all().map(async e => {
      if (e.state === 'no-project' && !(await hasProject(e.folder))) return;
      await e.refreshNow('reindex command', true);
    }));
  }

  /** A dbt_project.yml appeared in a folder that had none. */
  async projectAppeared(uri: vscode.Uri): Promise<void> {
    const e = this.forUri(uri);
    if (e?.state === 'no-project') await e.start(true);
  }

  async whenIdle(): Promise<void> {
    await Promise.all(this.all().map(e => e.whenIdle()));
  }

  private async add(folder: vscode.WorkspaceFolder, notify: boolean): Promise<void> {
    const key = folder.uri.toString();
    if (this.engines.has(key)) return;
    const engine = new FolderEngine(folder, this.log, this.model, () => this.emitter.fire(), this.secrets);
    this.engines.set(key, engine);
    if (await hasProject(folder)) await engine.start(notify);
    else {
      this.log.info(`[${folder.name}] no dbt_project.yml: not indexed`);
      engine.markNoProject();
    }
  }

  private remove(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    void this.engines.get(key)?.close();
    this.engines.delete(key);
    this.emitter.fire();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const e of this.engines.values()) e.dispose();
    this.engines.clear();
    this.emitter.dispose();
  }

  /** Closes every engine and waits (deactivate). */
  async close(): Promise<void> {
    await Promise.all(this.all().map(e => e.close()));
  }
}

async function hasProject(folder: vscode.WorkspaceFolder): Promise<boolean> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, PROJECT_GLOB), PROJECT_EXCLUDE, 1);
  return found.length > 0;
}
