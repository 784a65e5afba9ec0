// The status-bar item: indexing n/m, ready with counts, model unavailable, error. Clicking opens the diagnostics.
import * as vscode from 'vscode';
import type { WorkspaceEngines } from './engines/workspaceEngines';
import type { FolderEngine } from './engines/folderEngine';
import type { ModelManager } from './llm/modelManager';

export class IndexStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dea.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly engines: WorkspaceEngines, private readonly models: ModelManager) {
    this.item.name = 'Data Engineering Agent';
    this.item.command = 'dea.showDiagnostics';
    this.subscriptions = [engines.onDidChange(() => this.update()), models.onDidChange(() => this.update())];
    this.update();
    this.item.show();
  }

  /** The text shown, also used by the chat view's status line. */
  summary(): { state: 'starting' | 'indexing' | 'ready' | 'error' | 'no-project'; text: string } {
    const all = this.engines.all();
    const busy = all.find(e => e.state === 'indexing' || e.state === 'starting');
    const failed = all.find(e => e.state === 'error');
    if (failed) return { state: 'error', text: `${failed.folder.name}: ${failed.error ?? 'error'}` };
    if (busy) {
      const p = busy.progress;
      return { state: 'indexing', text: p ? `indexing ${p.phase}${p.total > 1 ? ` ${p.done}/${p.total}` : ''}` : busy.state === 'starting' ? 'starting' : 'indexing' };
    }
    const ready = all.filter(e => e.state === 'ready');
    if (!ready.length) return { state: 'no-project', text: 'no dbt project found' };
    // Several indexed folders (multi-root): each one's counts under its name.
    return { state: 'ready', text: ready.length === 1 ? countsOf(ready[0]) : ready.map(e => `${e.folder.name}: ${countsOf(e)}`).join(' · ') };
  }

  /** What the item shows now: its text and its tooltip's markdown (tests). */
  get shown(): { text: string; tooltip: string } {
    const t = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof t === 'string' ? t : t?.value ?? '' };
  }

  private update(): void {
    const s = this.summary();
    const model = this.models.current;
    const modelNote = model.problem ? ' $(warning)' : '';
    const icon = { starting: '$(sync~spin)', indexing: '$(sync~spin)', ready: '$(database)', error: '$(error)', 'no-project': '$(circle-slash)' }[s.state];
    this.item.text = `${icon} DEA: ${s.state === 'ready' ? 'ready' : s.state === 'error' ? 'error' : s.text}${modelNote}`;
    this.item.backgroundColor = s.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : model.problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown('**Data Engineering Agent**\n\n');
    for (const e of this.engines.all()) md.appendMarkdown(`- ${escapeMd(e.folder.name)}: ${escapeMd(folderLine(e))}\n`);
    md.appendMarkdown(`\nLanguage model: ${escapeMd(model.label)}${model.problem ? ` — model unavailable: ${escapeMd(model.problem)}` : ''}\n\nClick for index diagnostics.`);
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: `Data Engineering Agent: ${s.text}. Language model: ${model.label}${model.problem ? ', unavailable' : ''}` };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

function countsOf(e: FolderEngine): string {
  const st = e.status();
  const models = e.snapshot?.graph.nodes().filter(n => n.resourceType === 'model').length ?? 0;
  const docs = st?.documents ?? 0;
  return `${models} model${models === 1 ? '' : 's'} · ${docs} doc${docs === 1 ? '' : 's'}`;
}

function folderLine(e: FolderEngine): string {
  if (e.state === 'ready') return `ready — ${countsOf(e)}`;
  if (e.state === 'error') return `error — ${e.error ?? ''}`;
  if (e.state === 'no-project') return 'no dbt_project.yml';
  return e.progress ? `indexing ${e.progress.phase} ${e.progress.done}/${e.progress.total}` : e.state;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
