// Every command of package.json's contributes.commands, registered in one place.
import * as vscode from 'vscode';
import type { Citation } from '../../core/types';
import type { ChatController } from '../chat/chatController';
import type { ChatViewProvider } from '../chat/chatViewProvider';
import type { DiagnosticsProvider } from '../diagnostics/diagnosticsDocument';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import type { ModelManager } from '../llm/modelManager';
import type { Log } from '../log';
import { openCitation, openCommit } from '../navigate';
import { isCitation } from '../protocol';
import { resolveNode } from '../nodeRef';
import type { ApiKeyStore } from '../secrets';
import { ask, explainModel } from './ask';
import { showColumns } from './columns';
import { showHistory, showTests } from './history';
import { showLineage } from './lineage';
import { chooseModel, setApiKey, testConnection } from './modelCommands';
import type { WarehouseAccess } from '../warehouse/warehouseAccess';
import { runSql, setWarehousePassword, testWarehouse } from '../warehouse/warehouseCommands';
import type { WarehouseSecrets } from '../warehouse/warehouseSecrets';

export interface CommandDeps {
  engines: WorkspaceEngines;
  chat: ChatController;
  view: ChatViewProvider;
  models: ModelManager;
  keys: ApiKeyStore;
  diagnostics: DiagnosticsProvider;
  log: Log;
  warehouses: WarehouseAccess;
  warehouseSecrets: WarehouseSecrets;
}

function folderByUri(uri: unknown): vscode.WorkspaceFolder | undefined {
  return typeof uri === 'string' ? vscode.workspace.workspaceFolders?.find(w => w.uri.toString() === uri) : undefined;
}

export function registerCommands(d: CommandDeps): vscode.Disposable {
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'dea.ask': q => ask(d.view, d.chat, q),
    'dea.askAbout': async ref => {
      const r = await resolveNode(d.engines, ref, 'Ask about');
      if (!r) return;
      await d.view.reveal();
      d.chat.prefill(`About ${r.node.name}: `, false);
    },
    'dea.openChat': () => d.view.reveal(),
    'dea.reindex': () => d.engines.reindexAll(),
    'dea.showLineage': ref => showLineage(d.engines, ref),
    'dea.explainModel': ref => explainModel(d.engines, d.view, d.chat, ref),
    'dea.showHistory': ref => showHistory(d.engines, ref),
    'dea.showTests': ref => showTests(d.engines, ref),
    'dea.showColumns': ref => showColumns(d.engines, ref),
    'dea.chooseModel': () => chooseModel(d.keys, d.models),
    'dea.setApiKey': key => setApiKey(d.keys, d.log, key),
    'dea.testConnection': () => testConnection(d.models, d.log),
    'dea.showDiagnostics': () => d.diagnostics.show(),
    'dea.clearChat': () => d.chat.clear(),
    // `folder`: URI of the workspace folder the citation belongs to (multi-root workspaces); else the first holding the file.
    'dea.openCitation': (c: unknown, folder: unknown) => (isCitation(c) ? openCitation(c as Citation, folderByUri(folder)) : false),
    'dea.openCommit': async (folder: unknown, sha: unknown, path: unknown) => {
      const f = folderByUri(folder) ?? vscode.workspace.workspaceFolders?.[0];
      return f && typeof sha === 'string' ? openCommit(f, sha, typeof path === 'string' ? path : undefined) : false;
    },
    'dea.showLog': () => d.log.show(),
    'dea.testWarehouse': () => testWarehouse(d.engines, d.warehouses),
    'dea.refreshWarehouse': () => Promise.all(d.engines.all().filter(e => e.state !== 'no-project').map(e => e.refreshWarehouse())),
    'dea.setWarehousePassword': (kind, value) => setWarehousePassword(d.warehouseSecrets, d.log, kind, value),
    'dea.runSql': sql => runSql(d.engines, d.warehouses, d.chat, d.view, sql),
  };
  return vscode.Disposable.from(...Object.entries(commands).map(([id, fn]) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await fn(...args);
    } catch (e) {
      d.log.error(`command ${id} failed`, e);
      void vscode.window.showErrorMessage(`${id}: ${d.log.clean(e instanceof Error ? e.message : String(e))}`, 'Show Log').then(a => { if (a) d.log.show(); });
      throw e; // callers (other extensions, tests) see the failure too
    }
  })));
}
