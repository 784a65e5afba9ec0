// File watchers → debounced engine refreshes: saves, creates, deletes and changes of the files the engine reads,
// and branch switches or new commits (.git/HEAD, refs) of the repository holding each folder.
import * as fs from 'node:fs';
import { findGitDir } from '../core/git/gitDir';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceEngines } from './engines/workspaceEngines';

const FILES = '**/*.{sql,py,yml,yaml,md,csv,duckdb,json}';
/** Changes the engine never reads: build output other than dbt's artifacts, tool folders. */
const IGNORED = /(^|\/)(\.git|node_modules|\.venv|logs|\.vscode|\.dea)\/|(^|\/)target\/(?!(manifest|catalog)\.json$)/;

export function watchWorkspace(engines: WorkspaceEngines): vscode.Disposable {
  const subscriptions: vscode.Disposable[] = [];
  const touched = (uri: vscode.Uri, what: string) => {
    if (uri.scheme !== 'file') return;
    const e = engines.forUri(uri);
    if (!e) return;
    const rel = path.relative(e.folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    if (IGNORED.test(rel)) return;
    if (rel.endsWith('dbt_project.yml') && what === 'created') void engines.projectAppeared(uri);
    e.scheduleRefresh(`${what} ${rel}`);
  };
  const files = vscode.workspace.createFileSystemWatcher(FILES);
  subscriptions.push(files,
    files.onDidCreate(u => touched(u, 'created')),
    files.onDidDelete(u => touched(u, 'deleted')),
    files.onDidChange(u => touched(u, 'changed')),
    vscode.workspace.onDidSaveTextDocument(d => touched(d.uri, 'saved')),
  );
  const git = new GitHeadWatchers(engines);
  subscriptions.push(git, engines.onDidChange(() => git.sync()));
  git.sync();
  return vscode.Disposable.from(...subscriptions);
}

/**
 * One watcher per repository on HEAD/packed-refs (branch switch) and refs/heads (new commits). Node's fs.watch,
 * not VS Code's watcher: the workspace watcher leaves `.git` out, and the repository may sit above the folder.
 */
class GitHeadWatchers implements vscode.Disposable {
  private readonly watchers = new Map<string, fs.FSWatcher[]>();

  constructor(private readonly engines: WorkspaceEngines) {}

  sync(): void {
    for (const e of this.engines.all()) {
      const gitDir = findGitDir(e.folder.uri.fsPath);
      if (!gitDir || this.watchers.has(gitDir)) continue;
      const refresh = () => {
        for (const f of this.engines.all()) if (findGitDir(f.folder.uri.fsPath) === gitDir) f.scheduleRefresh('git HEAD moved');
      };
      const list: fs.FSWatcher[] = [];
      const watch = (target: string, recursive: boolean, filter?: (name: string) => boolean) => {
        try {
          const w = fs.watch(target, { recursive, persistent: false }, (_ev, name) => { if (!filter || (name && filter(name.toString()))) refresh(); });
          w.on('error', () => w.close());
          list.push(w);
        } catch { /* no such folder (packed refs only) or no watch support: refresh on file events alone */ }
      };
      watch(gitDir, false, name => name === 'HEAD' || name === 'packed-refs');
      watch(path.join(gitDir, 'refs', 'heads'), true);
      this.watchers.set(gitDir, list);
    }
  }

  dispose(): void {
    for (const list of this.watchers.values()) for (const w of list) w.close();
    this.watchers.clear();
  }
}
